import { Outlet } from "react-router";

/** Shell of the admin console (/admin/*): sub-navigation and the page below it. */
export default function AdminLayout() {
  return <Outlet />;
}
