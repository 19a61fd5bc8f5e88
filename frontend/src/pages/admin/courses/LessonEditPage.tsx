import { LessonEdit } from "./LessonEditor";

export default LessonEdit;
