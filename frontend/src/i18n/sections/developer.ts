/** Developer strings (Indonesian first; English typed against it so a missing key fails tsc). */
export const developerId = {
  title: "Developer",
};

export const developerEn: typeof developerId = {
  title: "Developer",
};
