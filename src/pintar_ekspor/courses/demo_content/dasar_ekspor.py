# ruff: noqa: E501  (Markdown tables and prose cannot be wrapped)
"""Demo course: Dasar-Dasar Ekspor dan Alur Prosesnya."""

from __future__ import annotations

from typing import Any

from pintar_ekspor.courses.demo_content.videos import demo_video_url, transcript_md

APA_ITU_EKSPOR = """\
# Apa itu ekspor dan mengapa penting

Menurut Undang-Undang Kepabeanan (UU No. 10 Tahun 1995 sebagaimana diubah dengan UU No. 17
Tahun 2006), **ekspor adalah kegiatan mengeluarkan barang dari daerah pabean**. Secara
sederhana: barang Anda dijual kepada pembeli di luar negeri dan secara resmi keluar dari
wilayah Indonesia melalui pengawasan Direktorat Jenderal Bea dan Cukai (DJBC).

## Mengapa usaha perlu mempertimbangkan ekspor?

- **Pasar yang jauh lebih luas.** Produk yang sudah jenuh di dalam negeri bisa menemukan
  pembeli baru, misalnya kopi spesialti, rempah, kerajinan, atau produk perikanan.
- **Pendapatan dalam valuta asing.** Penjualan dalam USD atau mata uang lain membantu
  menyeimbangkan biaya bahan baku impor dan menambah devisa negara.
- **Skala produksi dan efisiensi.** Pesanan ekspor yang rutin membuat kapasitas produksi
  terpakai lebih penuh sehingga biaya per unit turun.
- **Diversifikasi risiko.** Ketika permintaan domestik melemah, pasar lain bisa menopang.
- **Peningkatan mutu.** Standar pembeli internasional mendorong perbaikan mutu, kemasan,
  dan manajemen usaha.

## Ekspor langsung dan tidak langsung

| Cara | Penjelasan | Cocok untuk |
|---|---|---|
| Ekspor langsung | Anda sendiri yang bertindak sebagai eksportir: bernegosiasi dengan pembeli, mengurus dokumen, dan menerima pembayaran | Usaha yang siap dengan SDM, modal kerja, dan volume |
| Ekspor tidak langsung | Menjual kepada eksportir lain, *trading house*, atau agen yang kemudian mengekspor | UMKM yang baru mulai atau volumenya masih kecil |

Banyak pelaku usaha memulai secara tidak langsung untuk belajar standar mutu dan volume,
lalu beralih ke ekspor langsung setelah memiliki pembeli tetap.

## Tidak semua barang bebas diekspor

Secara umum barang ekspor terbagi menjadi tiga kelompok:

1. **Barang bebas ekspor** — cukup memenuhi ketentuan kepabeanan umum.
2. **Barang yang diatur atau dibatasi (lartas)** — memerlukan syarat tambahan seperti
   Persetujuan Ekspor, status Eksportir Terdaftar, atau Laporan Surveyor (LS).
3. **Barang yang dilarang diekspor** — misalnya jenis tertentu yang dilindungi atau bahan
   mentah yang wajib diolah di dalam negeri.

Ketentuan ini berubah dari waktu ke waktu, jadi selalu periksa HS code produk Anda di portal
**Indonesia National Single Window (INSW)** sebelum menerima pesanan.
"""

PELAKU_EKSPOR = """\
# Siapa saja yang terlibat dalam transaksi ekspor

Satu pengiriman ekspor melibatkan banyak pihak. Mengenal peran masing-masing membantu Anda
tahu kepada siapa harus bertanya dan siapa yang menanggung biaya apa.

| Pihak | Peran utama |
|---|---|
| **Eksportir** (penjual) | Menyiapkan barang, dokumen, dan menerima pembayaran |
| **Importir** (pembeli) | Memesan, membayar, dan mengurus impor di negara tujuan |
| **Bank devisa** | Menerima pembayaran dari luar negeri, menangani L/C dan inkaso |
| **Freight forwarder** | Mengatur pemesanan ruang kapal atau pesawat, *stuffing*, dan transportasi |
| **PPJK** (Pengusaha Pengurusan Jasa Kepabeanan) | Mengurus pemberitahuan pabean atas kuasa eksportir |
| **Perusahaan pelayaran / maskapai** | Mengangkut barang dan menerbitkan Bill of Lading atau Air Waybill |
| **Bea dan Cukai (DJBC)** | Menerima PEB, melakukan penelitian dan pemeriksaan, menerbitkan NPE |
| **Instansi Penerbit SKA** | Menerbitkan Surat Keterangan Asal (SKA/COO) melalui sistem e-SKA |
| **Badan Karantina Indonesia** | Menerbitkan sertifikat kesehatan/fitosanitari untuk produk hewan, ikan, dan tumbuhan |
| **Surveyor** | Melakukan verifikasi teknis untuk komoditas yang mewajibkan Laporan Surveyor |
| **Perusahaan asuransi** | Menanggung risiko kerusakan atau kehilangan barang selama perjalanan |

## Eksportir tidak harus mengerjakan semuanya sendiri

Eksportir pemula biasanya memakai jasa *freight forwarder* yang juga berizin PPJK. Meski
begitu, **tanggung jawab atas kebenaran data tetap ada pada eksportir**: uraian barang, HS
code, jumlah, dan nilai yang diberitahukan harus sesuai dengan barang sebenarnya. Kesalahan
data bisa berujung pada pemeriksaan fisik, penundaan muat, atau sanksi.

## Tips memilih mitra logistik

- Minta rincian biaya tertulis (*quotation*) yang memisahkan ongkos angkut, THC, biaya
  dokumen, dan biaya pengurusan.
- Tanyakan jadwal kapal (*vessel schedule*), *closing time* dokumen, dan *closing time*
  kontainer di pelabuhan muat.
- Pastikan mereka berpengalaman dengan komoditas dan negara tujuan Anda.
"""

VIDEO_NOTES = """\
Video ini memberi gambaran ringkas alur ekspor dari pesanan sampai pembayaran. Setelah
menonton, perhatikan tiga hal:

1. Kontrak penjualan menentukan Incoterms dan cara pembayaran — keduanya memengaruhi
   dokumen yang harus Anda siapkan.
2. Pemberitahuan Ekspor Barang (PEB) diajukan secara elektronik melalui sistem **CEISA**
   Bea Cukai sebelum barang masuk ke kawasan pabean pelabuhan.
3. Pembayaran sering kali bergantung pada kelengkapan dan kesesuaian dokumen.
"""

LEGALITAS = """\
# Legalitas dan perizinan dasar eksportir

Sebelum mengirim barang ke luar negeri, pastikan usaha Anda memiliki legalitas yang
dibutuhkan. Kabar baiknya, sebagian besar proses sekarang terintegrasi secara daring.

## 1. Nomor Induk Berusaha (NIB)

NIB diterbitkan melalui sistem **OSS (Online Single Submission)** berbasis risiko. NIB
berfungsi sebagai identitas pelaku usaha dan juga sebagai **akses kepabeanan**, sehingga
eksportir dapat menyampaikan dokumen pabean seperti PEB. Pastikan data KBLI (klasifikasi
bidang usaha) dalam NIB sesuai dengan kegiatan Anda.

## 2. NPWP

Nomor Pokok Wajib Pajak diperlukan untuk NIB dan untuk pelaporan pajak. Ekspor barang kena
pajak dikenai PPN dengan tarif 0%, dan pajak masukan atas perolehan barang dapat dikreditkan
atau dimintakan restitusi sesuai ketentuan perpajakan.

## 3. Rekening di bank devisa

Pembayaran ekspor diterima melalui bank devisa. Ada ketentuan **Devisa Hasil Ekspor (DHE)**
yang mewajibkan DHE masuk ke sistem keuangan Indonesia; untuk sektor sumber daya alam
tertentu berlaku pula kewajiban penempatan (retensi) dalam jangka waktu tertentu. Ketentuan
ini cukup sering diperbarui, jadi konfirmasikan aturan terbaru kepada bank Anda.

## 4. Ketentuan khusus per komoditas

Untuk barang yang diatur, mungkin diperlukan:

- **Persetujuan Ekspor (PE)** dari Kementerian Perdagangan (diajukan melalui INATRADE);
- penetapan sebagai **Eksportir Terdaftar (ET)**;
- **Laporan Surveyor (LS)** hasil verifikasi surveyor yang ditunjuk;
- sertifikat **karantina** (kesehatan hewan, ikan, atau fitosanitari tumbuhan);
- izin atau sertifikat dari instansi teknis lain, misalnya untuk produk kehutanan.

Cara paling praktis untuk mengeceknya adalah mencari HS code produk di portal **INSW**:
halaman tersebut menampilkan ketentuan larangan dan pembatasan (lartas) untuk ekspor.

## Daftar periksa singkat

- [ ] NIB aktif dengan KBLI yang sesuai
- [ ] NPWP dan status perpajakan tertib
- [ ] Rekening valas di bank devisa
- [ ] HS code produk sudah ditentukan dan lartas dicek di INSW
- [ ] Persyaratan negara tujuan (standar, label, sertifikat) sudah dipahami
"""

HARGA_EKSPOR = """\
# Menyiapkan produk dan menghitung harga ekspor

Pembeli luar negeri hampir selalu meminta **penawaran harga** lengkap dengan Incoterms,
misalnya *USD 4,60/kg FOB Tanjung Perak*. Harga ini harus menutup seluruh biaya sampai titik
penyerahan yang dijanjikan, ditambah margin yang wajar.

## Komponen biaya sampai FOB

Untuk penawaran FOB, penjual menanggung biaya sampai barang berada di atas kapal di
pelabuhan muat. Komponennya biasanya:

1. Harga pokok produksi atau pembelian barang;
2. Kemasan ekspor (karton kuat, palet, *shrink wrap*, label dan *shipping marks*);
3. Biaya dokumen dan pengurusan (PEB, SKA, sertifikat, jasa PPJK);
4. Angkutan darat dari gudang ke pelabuhan atau depo kontainer;
5. Biaya penanganan di pelabuhan muat, termasuk *Terminal Handling Charge* (THC) asal;
6. Margin keuntungan.

## Contoh perhitungan (angka ilustrasi)

Pengiriman 10.000 kg produk dalam satu kontainer:

| Komponen | Total | Per kg |
|---|---:|---:|
| Harga pokok produksi | Rp 600.000.000 | Rp 60.000 |
| Kemasan ekspor | Rp 25.000.000 | Rp 2.500 |
| Dokumen dan pengurusan | Rp 6.000.000 | Rp 600 |
| Trucking dan THC asal | Rp 9.000.000 | Rp 900 |
| **Total biaya** | **Rp 640.000.000** | **Rp 64.000** |
| Margin 15% | | Rp 9.600 |
| **Harga FOB** | | **Rp 73.600** |

Dengan asumsi kurs Rp 16.000 per USD, harga penawaran menjadi **USD 4,60/kg FOB**.

## Hal yang sering terlupa

- **Fluktuasi kurs.** Beri masa berlaku penawaran (misalnya 14 hari) atau sisipkan
  penyesuaian kurs.
- **Biaya bank** untuk L/C atau inkaso, yang bisa cukup besar untuk nilai transaksi kecil.
- **Sampel dan ongkos kirimnya**, yang biasanya ditanggung penjual pada tahap awal.
- **Minimum order quantity (MOQ)** agar biaya tetap per pengiriman tidak menggerus margin.

Jika pembeli meminta harga CIF atau CFR, tambahkan ongkos angkut laut (dan premi asuransi
untuk CIF) ke harga FOB — tetapi ingat bahwa risiko pada CFR/CIF tetap berpindah di
pelabuhan muat.
"""

KONTRAK = """\
# Dari inquiry hingga kontrak penjualan

Transaksi ekspor biasanya dimulai dari pertanyaan calon pembeli dan berakhir pada kontrak
yang disepakati kedua pihak. Semakin jelas kontraknya, semakin kecil peluang sengketa.

## Tahapan umum

1. **Inquiry** — pembeli menanyakan produk, spesifikasi, volume, dan harga.
2. **Penawaran (offer/quotation)** — penjual mengirim harga, Incoterms, cara bayar, waktu
   pengiriman, dan masa berlaku penawaran. Sering disertai **proforma invoice**.
3. **Negosiasi dan sampel** — penyesuaian spesifikasi, kemasan, harga, atau jadwal.
4. **Purchase order / sales contract** — kesepakatan tertulis yang mengikat.
5. **Konfirmasi pembayaran** — misalnya uang muka T/T diterima atau L/C dibuka oleh bank
   pembeli. Periksa syarat L/C segera setelah diterima!

## Isi penting kontrak penjualan ekspor

| Unsur | Contoh |
|---|---|
| Para pihak | Nama dan alamat lengkap penjual dan pembeli |
| Barang | Uraian, spesifikasi mutu, HS code, kemasan |
| Jumlah | 20.000 kg ± 5% (toleransi dinyatakan jelas) |
| Harga | USD 4,60/kg **FOB Tanjung Perak Incoterms® 2020** |
| Pembayaran | 30% T/T di muka, 70% T/T terhadap salinan B/L; atau L/C at sight |
| Pengiriman | Paling lambat 15 Maret 2026, pengapalan sebagian tidak diizinkan |
| Dokumen | Commercial invoice, packing list, B/L, SKA Form D, sertifikat fitosanitari |
| Asuransi | Siapa yang menutup dan dengan syarat apa |
| Inspeksi dan klaim | Waktu dan cara mengajukan keluhan mutu |
| Force majeure, hukum, dan sengketa | Arbitrase, pengadilan, atau mediasi yang dipilih |

## Kiat

- Tulis Incoterms lengkap dengan tempat dan versinya, misalnya *CIF Rotterdam
  Incoterms® 2020*.
- Pastikan dokumen yang diminta pembeli **bisa Anda peroleh** sebelum menandatangani.
- Simpan seluruh korespondensi: e-mail sering menjadi bukti kesepakatan.
"""

PENGAPALAN = """\
# Dari produksi hingga barang berangkat

Setelah kontrak disepakati, eksportir menyiapkan barang dan dokumen, lalu mengurus
kepabeanan. Berikut alur yang umum untuk pengiriman laut dengan kontainer.

## Langkah demi langkah

1. **Produksi dan pengemasan** sesuai spesifikasi kontrak, lengkap dengan *shipping marks*.
2. **Pemesanan ruang kapal (booking)** melalui freight forwarder atau pelayaran. Anda akan
   menerima konfirmasi booking berisi nama kapal, jadwal, dan *closing time*.
3. **Penyiapan dokumen komersial**: commercial invoice dan packing list.
4. **Dokumen pendukung** bila diperlukan: sertifikat karantina, Laporan Surveyor, atau
   persetujuan ekspor.
5. **Stuffing**: barang dimuat ke kontainer di gudang eksportir atau di depo.
6. **Pengajuan PEB** secara elektronik melalui **CEISA**. Aturan umumnya, PEB diajukan
   paling cepat 7 hari sebelum perkiraan tanggal ekspor dan paling lambat sebelum barang
   masuk ke kawasan pabean tempat pemuatan.
7. **Penjaluran**: PEB mendapat jalur **hijau** (tanpa pemeriksaan fisik) atau **merah**
   (pemeriksaan fisik barang).
8. **NPE (Nota Pelayanan Ekspor)** terbit sebagai persetujuan bahwa barang boleh dimuat.
9. **Pemuatan ke kapal** dan keberangkatan.
10. **Penerbitan Bill of Lading** oleh pelayaran atau forwarder.
11. **SKA** diajukan melalui e-SKA bila pembeli memerlukannya.
12. **Pengiriman dokumen dan penagihan** sesuai cara pembayaran: melalui bank (L/C,
    D/P) atau langsung kepada pembeli (T/T).

## Ringkasan dokumen per tahap

| Tahap | Dokumen | Diterbitkan oleh |
|---|---|---|
| Penawaran | Proforma invoice | Eksportir |
| Kontrak | Sales contract / purchase order | Penjual dan pembeli |
| Persiapan | Commercial invoice, packing list | Eksportir |
| Kepabeanan | PEB, lalu NPE | Eksportir/PPJK, lalu Bea Cukai |
| Pengangkutan | Bill of Lading / Air Waybill | Pengangkut atau forwarder |
| Asal barang | SKA (Certificate of Origin) | Instansi Penerbit SKA |
| Pembayaran | Wesel, dokumen untuk bank | Eksportir |

Simpan salinan semua dokumen. Dokumen yang rapi mempercepat pencairan pembayaran dan
memudahkan bila ada pemeriksaan di kemudian hari.
"""

QUIZ = [
    {
        "id": "q1",
        "prompt": "Dokumen pemberitahuan pabean yang diajukan untuk mengekspor barang disebut…",
        "kind": "single",
        "options": [
            {"id": "a", "text": "PIB (Pemberitahuan Impor Barang)"},
            {"id": "b", "text": "PEB (Pemberitahuan Ekspor Barang)", "correct": True},
            {"id": "c", "text": "SKA (Surat Keterangan Asal)"},
            {"id": "d", "text": "NPWP"},
        ],
        "explanation": (
            "PEB adalah pemberitahuan pabean untuk ekspor dan diajukan secara elektronik "
            "melalui CEISA. PIB dipakai untuk impor, sedangkan SKA menerangkan asal barang."
        ),
    },
    {
        "id": "q2",
        "prompt": "Setelah PEB diproses dan barang boleh dimuat ke kapal, Bea Cukai menerbitkan…",
        "kind": "single",
        "options": [
            {"id": "a", "text": "NPE (Nota Pelayanan Ekspor)", "correct": True},
            {"id": "b", "text": "Bill of Lading"},
            {"id": "c", "text": "Letter of Credit"},
            {"id": "d", "text": "Packing list"},
        ],
        "explanation": (
            "NPE adalah persetujuan Bea Cukai bahwa barang ekspor boleh dimuat. B/L "
            "diterbitkan pengangkut, L/C oleh bank, dan packing list oleh eksportir."
        ),
    },
    {
        "id": "q3",
        "prompt": "Mana saja yang merupakan legalitas dasar seorang eksportir di Indonesia?",
        "kind": "multiple",
        "options": [
            {"id": "a", "text": "NIB yang diurus melalui OSS", "correct": True},
            {"id": "b", "text": "NPWP", "correct": True},
            {"id": "c", "text": "SKA untuk setiap pengiriman ke negara mana pun"},
            {"id": "d", "text": "Angka Pengenal Importir khusus ekspor"},
        ],
        "explanation": (
            "NIB (melalui OSS) dan NPWP adalah dasar; NIB juga berfungsi sebagai akses "
            "kepabeanan. SKA hanya diperlukan bila diminta pembeli atau untuk memperoleh "
            "tarif preferensi, bukan untuk setiap pengiriman."
        ),
    },
    {
        "id": "q4",
        "prompt": "Untuk barang yang ekspornya diatur (lartas), syarat tambahan apa yang bisa diminta?",
        "kind": "multiple",
        "options": [
            {"id": "a", "text": "Persetujuan Ekspor", "correct": True},
            {"id": "b", "text": "Laporan Surveyor (LS)", "correct": True},
            {"id": "c", "text": "Penetapan sebagai Eksportir Terdaftar", "correct": True},
            {"id": "d", "text": "Tidak ada syarat tambahan apa pun"},
        ],
        "explanation": (
            "Tergantung komoditasnya, ekspor bisa memerlukan Persetujuan Ekspor, status "
            "Eksportir Terdaftar, Laporan Surveyor, atau sertifikat karantina. Cek HS code "
            "produk di portal INSW."
        ),
    },
    {
        "id": "q5",
        "prompt": "Urutan mana yang paling tepat untuk pengiriman laut?",
        "kind": "single",
        "options": [
            {
                "id": "a",
                "text": "Kontrak → booking kapal → PEB → NPE → muat → B/L terbit",
                "correct": True,
            },
            {"id": "b", "text": "B/L terbit → PEB → kontrak → muat"},
            {"id": "c", "text": "PEB → kontrak → B/L terbit → NPE"},
            {"id": "d", "text": "Muat → PEB → NPE → kontrak"},
        ],
        "explanation": (
            "Kontrak disepakati lebih dulu, lalu ruang kapal dipesan dan PEB diajukan. "
            "Barang dimuat setelah NPE terbit, dan B/L diterbitkan setelah barang dimuat."
        ),
    },
]

COURSE: dict[str, Any] = {
    "slug": "dasar-dasar-ekspor-dan-alur-prosesnya",
    "title": "Dasar-Dasar Ekspor dan Alur Prosesnya",
    "summary": (
        "Kenali apa itu ekspor, siapa saja yang terlibat, legalitas yang dibutuhkan, cara "
        "menghitung harga FOB, dan alur lengkap dari kontrak sampai barang dimuat ke kapal."
    ),
    "description_md": (
        "Kursus ini ditujukan bagi pelaku usaha dan UMKM yang ingin mulai mengekspor. "
        "Anda akan memahami:\n\n"
        "- pengertian ekspor dan kelompok barang ekspor (bebas, diatur, dilarang);\n"
        "- pihak-pihak yang terlibat dan perannya;\n"
        "- legalitas dasar: NIB melalui OSS, NPWP, bank devisa, dan ketentuan lartas di INSW;\n"
        "- cara menyusun harga ekspor FOB;\n"
        "- alur dari inquiry, kontrak, PEB di CEISA, NPE, hingga Bill of Lading.\n\n"
        "Di akhir kursus ada kuis untuk menguji pemahaman Anda."
    ),
    "level": "beginner",
    "language": "id",
    "tags": ["ekspor", "pemula", "alur ekspor", "umkm"],
    "estimated_minutes": 75,
    "sections": [
        {
            "title": "Mengenal Ekspor",
            "lessons": [
                {
                    "title": "Apa itu ekspor dan mengapa penting",
                    "kind": "text",
                    "body_md": APA_ITU_EKSPOR,
                    "duration_minutes": 8,
                },
                {
                    "title": "Siapa saja yang terlibat dalam ekspor",
                    "kind": "text",
                    "body_md": PELAKU_EKSPOR,
                    "duration_minutes": 8,
                },
                {
                    "title": "Video: gambaran singkat proses ekspor",
                    "kind": "video",
                    "video_url": demo_video_url("alur-ekspor"),
                    "body_md": VIDEO_NOTES + "\n" + transcript_md("alur-ekspor"),
                    "duration_minutes": 3,
                },
            ],
        },
        {
            "title": "Persiapan Menjadi Eksportir",
            "lessons": [
                {
                    "title": "Legalitas dan perizinan dasar",
                    "kind": "text",
                    "body_md": LEGALITAS,
                    "duration_minutes": 10,
                },
                {
                    "title": "Menghitung harga ekspor FOB",
                    "kind": "text",
                    "body_md": HARGA_EKSPOR,
                    "duration_minutes": 10,
                },
            ],
        },
        {
            "title": "Alur Proses Ekspor",
            "lessons": [
                {
                    "title": "Dari inquiry hingga kontrak penjualan",
                    "kind": "text",
                    "body_md": KONTRAK,
                    "duration_minutes": 10,
                },
                {
                    "title": "Dari produksi hingga barang berangkat",
                    "kind": "text",
                    "body_md": PENGAPALAN,
                    "duration_minutes": 12,
                },
                {
                    "title": "Kuis: Dasar-Dasar Ekspor",
                    "kind": "quiz",
                    "questions": QUIZ,
                    "pass_mark": 70,
                    "max_attempts": 3,
                    "duration_minutes": 10,
                    "body_md": "Jawab lima pertanyaan berikut. Nilai lulus 70, maksimal 3 percobaan.",
                },
            ],
        },
    ],
}
