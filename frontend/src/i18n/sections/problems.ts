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
  metrics_forbidden: "Metrik hanya tersedia untuk jaringan pemantauan atau dengan token metrik.",
};

export const problemsEn: typeof problemsId = {
  internal_error: "Something went wrong on the server. Please try again shortly.",
  rate_limited: "Too many requests. Please wait a moment and try again.",
  service_unavailable: "The service is unavailable right now. Please try again shortly.",
  forbidden: "You do not have access to do this.",
  not_authenticated: "Please sign in first.",
  not_found: "Not found.",
  validation_failed: "Please check what you entered.",
  metrics_forbidden: "Metrics are only available to the monitoring network or with the metrics token.",
};
