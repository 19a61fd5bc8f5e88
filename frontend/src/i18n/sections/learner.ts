/** Learner strings (Indonesian first; English typed against it so a missing key fails tsc). */
export const learnerId = {
  title: "Learner",
  quizAnswersHidden:
    "Jawaban yang benar dan penjelasannya ditampilkan setelah Anda lulus atau memakai semua percobaan.",
};

export const learnerEn: typeof learnerId = {
  title: "Learner",
  quizAnswersHidden:
    "The correct answers and explanations are shown once you pass or have used every attempt.",
};
