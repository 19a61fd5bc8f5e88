import { Outlet } from "react-router";

/** Shell of the developer portal (/developer/*): sub-navigation and the page below it. */
export default function DeveloperLayout() {
  return <Outlet />;
}
