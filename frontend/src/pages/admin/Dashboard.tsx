import { ComingSoon } from "../ComingSoon";

/** /admin: the platform analytics dashboard ("Dasbor Analitik"). */
export default function Dashboard() {
  return <ComingSoon area="admin" />;
}
