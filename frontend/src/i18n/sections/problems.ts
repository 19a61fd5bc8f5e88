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
  ambiguous_numbers:
    "Format angka di salah satu kolom bisa dibaca dua cara (ribuan atau desimal). Pilih pemisah desimal (koma atau titik) lalu unggah lagi.",
  duplicate_rows:
    "Beberapa baris mengulang tanggal dan kategori yang sama. Hapus duplikatnya atau pilih cara menggabungkannya (jumlah, rata-rata, terakhir).",
  mixed_frequency:
    "Sebagian kategori dicatat lebih jarang (misalnya per kuartal) daripada yang lain. Kirim terpisah atau izinkan penggabungan ke periode yang lebih kasar.",
};

export const problemsEn: typeof problemsId = {
  internal_error: "Something went wrong on the server. Please try again shortly.",
  rate_limited: "Too many requests. Please wait a moment and try again.",
  service_unavailable: "The service is unavailable right now. Please try again shortly.",
  forbidden: "You do not have access to do this.",
  not_authenticated: "Please sign in first.",
  not_found: "Not found.",
  validation_failed: "Please check what you entered.",
  ambiguous_numbers:
    "The numbers in one column can be read two ways (thousands or decimals). Choose the decimal separator (comma or point) and upload again.",
  duplicate_rows:
    "Some rows repeat the same date and category. Remove the duplicates or choose how to combine them (sum, mean, last).",
  mixed_frequency:
    "Some categories are recorded less often (say quarterly) than the others. Send them separately or allow aggregation to the coarser period.",
};
