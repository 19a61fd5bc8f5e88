/** Admin strings (Indonesian first; English typed against it so a missing key fails tsc). */
export const adminId = {
  title: "Admin",
};

export const adminEn: typeof adminId = {
  title: "Admin",
};
