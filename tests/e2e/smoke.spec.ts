import { expect, test } from "@playwright/test";

test("the built page loads with no console errors and no outside requests", async ({ page, baseURL }) => {
  const errors: string[] = [];
  const outside: string[] = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => { if (!r.url().startsWith(new URL(baseURL!).origin) && !r.url().startsWith("data:") && !r.url().startsWith("blob:")) outside.push(r.url()); });
  await page.goto("./");
  await expect(page.getByRole("heading", { name: "kubeplay" })).toBeVisible();
  expect(errors).toEqual([]);
  expect(outside).toEqual([]);
});
