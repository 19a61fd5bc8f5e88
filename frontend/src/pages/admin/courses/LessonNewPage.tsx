import { LessonNew } from "./LessonEditor";

export default LessonNew;
