// Defaulting and validation for this kind (registerAdmission). TODO.
export {};
