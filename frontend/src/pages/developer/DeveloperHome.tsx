import { ComingSoon } from "../ComingSoon";

/** /developer: the developer portal's start page. */
export default function DeveloperHome() {
  return <ComingSoon area="developer" />;
}
