"""Learning: enrolments, lesson progress, quiz attempts, completion and learning events."""

# Courses count enrolments through a hook (courses sit below learning on the layer ladder):
# importing any part of learning registers the counting SQL. See `learning/popularity.py`.
from pintar_ekspor.learning import popularity as popularity
