/** Learner strings (Indonesian first; English typed against it so a missing key fails tsc). */
export const learnerId = {
  title: "Learner",
};

export const learnerEn: typeof learnerId = {
  title: "Learner",
};
