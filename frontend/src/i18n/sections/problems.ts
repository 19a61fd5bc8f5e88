/**
 * Messages for the platform's problem+json `code`s (see api/problemMessage.ts). The UI shows
 * these instead of the server's English `detail`. Keep one entry per code the API can emit.
 */
export const problemsId = {
  internal_error: "Terjadi kesalahan di server. Coba lagi sebentar lagi.",
  rate_limited: "Terlalu banyak permintaan. Tunggu sebentar lalu coba lagi.",
  service_unavailable: "Layanan sedang tidak tersedia. Coba lagi sebentar lagi.",
  forbidden: "Anda tidak punya akses untuk tindakan ini.",
  not_authenticated: "Silakan masuk terlebih dahulu.",
  not_found: "Data tidak ditemukan.",
  validation_failed: "Periksa kembali isian Anda.",
  nul_character: "Isian mengandung karakter yang tidak diizinkan (NUL).",
  unanswered_questions: "Jawab semua pertanyaan sebelum mengirim kuis.",
  session_revoked: "Sesi Anda telah berakhir. Silakan masuk kembali.",
  database_unavailable: "Server sedang sibuk. Coba lagi dalam beberapa detik.",
};

export const problemsEn: typeof problemsId = {
  internal_error: "Something went wrong on the server. Please try again shortly.",
  rate_limited: "Too many requests. Please wait a moment and try again.",
  service_unavailable: "The service is unavailable right now. Please try again shortly.",
  forbidden: "You do not have access to do this.",
  not_authenticated: "Please sign in first.",
  not_found: "Not found.",
  validation_failed: "Please check what you entered.",
  nul_character: "The input contains a character that is not allowed (NUL).",
  unanswered_questions: "Answer every question before submitting the quiz.",
  session_revoked: "Your session has ended. Please sign in again.",
  database_unavailable: "The server is busy. Please try again in a few seconds.",
};
