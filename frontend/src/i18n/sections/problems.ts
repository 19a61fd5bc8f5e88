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
  // Learning reports (/analytics/*).
  reports_forbidden: "Laporan pembelajaran hanya untuk akun developer dan admin.",
  admin_session_required: "Laporan ini hanya untuk admin yang masuk lewat aplikasi web.",
  invalid_date_range: "Tanggal awal harus sebelum atau sama dengan tanggal akhir.",
  date_range_too_large: "Rentang tanggal terlalu panjang; pilih rentang lebih pendek atau kelompokkan per minggu/bulan.",
  course_not_found: "Kursus tidak ditemukan.",
  user_not_found: "Pengguna tidak ditemukan.",
};

export const problemsEn: typeof problemsId = {
  internal_error: "Something went wrong on the server. Please try again shortly.",
  rate_limited: "Too many requests. Please wait a moment and try again.",
  service_unavailable: "The service is unavailable right now. Please try again shortly.",
  forbidden: "You do not have access to do this.",
  not_authenticated: "Please sign in first.",
  not_found: "Not found.",
  validation_failed: "Please check what you entered.",
  // Learning reports (/analytics/*).
  reports_forbidden: "Learning reports are for developer and admin accounts only.",
  admin_session_required: "This report is only for admins signed in to the web app.",
  invalid_date_range: "The start date must be on or before the end date.",
  date_range_too_large: "The date range is too long; choose a shorter one or group by week or month.",
  course_not_found: "Course not found.",
  user_not_found: "User not found.",
};
