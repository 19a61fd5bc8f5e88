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
  last_admin:
    "Ini admin aktif terakhir. Jadikan pengguna lain admin terlebih dahulu sebelum menurunkan peran atau menonaktifkan akun ini.",
  user_not_found: "Pengguna tidak ditemukan.",
  course_not_found: "Kursus tidak ditemukan.",
  section_not_found: "Bagian tidak ditemukan di kursus ini.",
  lesson_not_found: "Pelajaran tidak ditemukan di kursus ini.",
  course_empty: "Kursus perlu minimal satu pelajaran sebelum diterbitkan.",
  slug_taken: "Slug itu sudah dipakai kursus lain. Pilih slug lain.",
  invalid_lesson: "Isi pelajaran tidak sesuai dengan jenisnya. Periksa kembali isian Anda.",
  invalid_quiz: "Kuis tidak valid: periksa pertanyaan, pilihan dan jawaban benarnya.",
  invalid_order: "Urutan baru harus memuat setiap item tepat satu kali. Muat ulang halaman lalu coba lagi.",
  no_draft_changes: "Kursus ini tidak punya perubahan yang belum terbit.",
  draft_conflict: "Admin lain mulai menyunting kursus ini pada saat yang sama. Coba lagi.",
  email_not_failed: "Hanya e-mail yang gagal yang dapat dikirim ulang.",
  email_not_found: "E-mail tidak ditemukan.",
  email_secret_expired: "Isi rahasia e-mail ini sudah dihapus, jadi tidak dapat dikirim ulang.",
  invalid_time_range: "Waktu \"sejak\" harus lebih awal dari waktu \"sampai\".",
};

export const problemsEn: typeof problemsId = {
  internal_error: "Something went wrong on the server. Please try again shortly.",
  rate_limited: "Too many requests. Please wait a moment and try again.",
  service_unavailable: "The service is unavailable right now. Please try again shortly.",
  forbidden: "You do not have access to do this.",
  not_authenticated: "Please sign in first.",
  not_found: "Not found.",
  validation_failed: "Please check what you entered.",
  last_admin:
    "This is the last active admin. Make another user an admin first before demoting or deactivating this account.",
  user_not_found: "User not found.",
  course_not_found: "Course not found.",
  section_not_found: "This section is not in this course.",
  lesson_not_found: "This lesson is not in this course.",
  course_empty: "A course needs at least one lesson before it can be published.",
  slug_taken: "Another course already uses that slug. Choose another one.",
  invalid_lesson: "The lesson's content does not fit its kind. Please check what you entered.",
  invalid_quiz: "The quiz is not valid: check its questions, options and correct answers.",
  invalid_order: "The new order must list every item exactly once. Reload the page and try again.",
  no_draft_changes: "This course has no unpublished changes.",
  draft_conflict: "Another admin started editing this course at the same moment. Please try again.",
  email_not_failed: "Only a failed e-mail can be retried.",
  email_not_found: "E-mail not found.",
  email_secret_expired: "This e-mail's secret content was erased, so it cannot be sent again.",
  invalid_time_range: "\"Since\" must be earlier than \"until\".",
};
