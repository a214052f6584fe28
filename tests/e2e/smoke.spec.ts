import { expect, test } from "@playwright/test";

test("the built page loads with no console errors and no outside requests", async ({ page, baseURL }) => {
  const errors: string[] = [];
  const outside: string[] = [];
  page.on("console", (m) => { if (m.type() === "error") errors.push(m.text()); });
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => { if (!r.url().startsWith(new URL(baseURL!).origin) && !r.url().startsWith("data:") && !r.url().startsWith("blob:")) outside.push(r.url()); });
  await page.goto("./");
  await expect(page.getByRole("heading", { name: "kubeplay" })).toBeVisible();
  // Monaco and both of its workers (editor, yaml) load from the same origin.
  await expect(page.locator(".editor-host[data-loaded=true] .monaco-editor .view-lines")).toContainText("fluentd-elasticsearch", { timeout: 20_000 });
  await page.getByRole("button", { name: "Advance 1s", exact: true }).click();
  expect(errors).toEqual([]);
  expect(outside).toEqual([]);
});
