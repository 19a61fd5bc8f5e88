/** Dashboard strings (Indonesian first; English typed against it so a missing key fails tsc). */
export const dashboardId = {
  title: "Dashboard",
};

export const dashboardEn: typeof dashboardId = {
  title: "Dashboard",
};
