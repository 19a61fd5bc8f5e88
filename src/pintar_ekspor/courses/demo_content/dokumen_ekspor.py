# ruff: noqa: E501  (Markdown tables and prose cannot be wrapped)
"""Demo course: Dokumen Ekspor — Invoice, Packing List, B/L, SKA/COO, PEB."""

from __future__ import annotations

from typing import Any

from pintar_ekspor.courses.demo_content.videos import demo_video_url, transcript_md

INVOICE = """\
# Proforma invoice dan commercial invoice

## Proforma invoice

Proforma invoice adalah **penawaran resmi** yang dikirim sebelum transaksi terjadi. Pembeli
memakainya untuk menyetujui harga, membuka L/C, atau mengurus izin impor di negaranya.
Proforma invoice **bukan tagihan** dan tidak dipakai untuk kepabeanan.

## Commercial invoice

Commercial invoice adalah **tagihan final** dari penjual kepada pembeli. Dokumen ini dipakai
oleh Bea Cukai di negara asal dan tujuan untuk menetapkan nilai pabean, oleh bank dalam
transaksi L/C atau inkaso, dan oleh pembeli untuk pembayaran.

| Unsur | Keterangan |
|---|---|
| Nomor dan tanggal invoice | Unik dan konsisten dengan dokumen lain |
| Penjual dan pembeli | Nama dan alamat lengkap (sesuai kontrak atau L/C) |
| Uraian barang | Jelas dan spesifik; pada transaksi L/C harus sesuai dengan uraian di L/C |
| HS code | Membantu klasifikasi di negara tujuan |
| Jumlah dan satuan | Sama dengan packing list |
| Harga satuan dan total | Dalam mata uang kontrak |
| Incoterms | Misalnya *CIF Busan Incoterms® 2020* |
| Syarat pembayaran | T/T, L/C, D/P, atau D/A |
| Negara asal barang | *Country of origin* |
| Nomor kontrak / PO / L/C | Referensi transaksi |
| Tanda tangan | Bila diminta pembeli atau L/C |

## Kesalahan yang sering terjadi

- Uraian barang berbeda dengan L/C — bank akan menganggapnya **discrepancy**.
- Total nilai tidak sama dengan jumlah × harga satuan, atau melebihi nilai L/C.
- Nama pembeli ditulis berbeda antara invoice, B/L, dan SKA.
- Incoterms tidak dicantumkan, sehingga nilai pabean dan biaya angkut tidak jelas.
"""

PACKING_LIST = """\
# Packing list dan shipping marks

**Packing list** merinci isi setiap kemasan dalam satu pengiriman. Dokumen ini tidak memuat
harga; fungsinya membantu pengangkut, petugas Bea Cukai saat pemeriksaan fisik, dan pembeli
saat membongkar serta memeriksa barang.

## Isi packing list

- Nomor dan tanggal (merujuk ke nomor invoice);
- nama pengirim dan penerima;
- **jumlah dan jenis kemasan** (misalnya 800 karton di atas 20 palet);
- isi tiap kemasan atau tiap kelompok kemasan;
- **berat bersih (net weight)** dan **berat kotor (gross weight)**;
- **ukuran** tiap kemasan dan total volume (m³ atau CBM);
- **shipping marks** dan nomor kemasan;
- nomor kontainer dan segel, bila sudah diketahui.

## Contoh ringkas

| Karton | Isi | Berat bersih | Berat kotor | Ukuran (cm) |
|---|---|---:|---:|---|
| 1–400 | Kopi arabika sangrai 12 × 1 kg | 12,0 kg | 13,1 kg | 40 × 30 × 25 |
| 401–800 | Kopi robusta sangrai 12 × 1 kg | 12,0 kg | 13,1 kg | 40 × 30 × 25 |
| **Total 800 karton** | | **9.600 kg** | **10.480 kg** | **24,0 m³** |

## Shipping marks

Shipping marks adalah tanda pada kemasan agar barang mudah dikenali, misalnya:

```
PT KOPI NUSANTARA / BUYER CO. LTD
PO 2026-031
BUSAN, KOREA
C/NO. 1-800
MADE IN INDONESIA
```

## Konsistensi adalah kunci

Jumlah kemasan, berat kotor, dan shipping marks di packing list **harus sama** dengan yang
tercantum di commercial invoice, PEB, dan Bill of Lading. Perbedaan kecil saja bisa
menyebabkan penolakan dokumen oleh bank atau pemeriksaan tambahan oleh Bea Cukai.
"""

BILL_OF_LADING = """\
# Bill of Lading (B/L)

Bill of Lading diterbitkan oleh pengangkut laut (atau agennya) setelah barang diterima atau
dimuat ke kapal. B/L memiliki **tiga fungsi**:

1. **Tanda terima barang** oleh pengangkut;
2. **Bukti kontrak pengangkutan** antara pengirim dan pengangkut;
3. **Dokumen kepemilikan (document of title)** — siapa yang memegang B/L asli yang sah
   berhak mengambil barang di pelabuhan tujuan.

## Jenis-jenis B/L

| Jenis | Penjelasan |
|---|---|
| Shipped on board | Barang sudah dimuat ke kapal; umumnya diminta dalam L/C |
| Received for shipment | Barang diterima pengangkut tetapi belum dimuat |
| Clean | Tanpa catatan kerusakan barang atau kemasan |
| Claused / unclean | Ada catatan kerusakan; biasanya ditolak bank |
| To order | Dapat dipindahtangankan dengan endorsemen (negotiable) |
| Straight | Langsung atas nama consignee tertentu; tidak dapat dipindahtangankan |
| Master B/L dan House B/L | Diterbitkan pelayaran (master) atau forwarder (house) |

B/L asli biasanya diterbitkan dalam satu set (*full set*), misalnya tiga lembar asli. Pada
transaksi L/C, bank biasanya meminta full set asli.

## Alternatif B/L

- **Sea Waybill**: tanda terima dan bukti kontrak angkut, **bukan dokumen kepemilikan**;
  barang diserahkan kepada consignee yang tertera tanpa perlu dokumen asli.
- **Telex release / surrender B/L**: B/L asli diserahkan di pelabuhan muat sehingga barang
  dapat diambil di tujuan tanpa dokumen fisik.
- **Air Waybill (AWB)** untuk kiriman udara juga **bukan** dokumen kepemilikan.

## Yang perlu diperiksa saat menerima draf B/L

- Shipper, consignee, dan notify party sesuai kontrak atau L/C;
- pelabuhan muat dan tujuan, nama kapal, nomor voyage;
- uraian barang, jumlah kemasan, berat kotor, nomor kontainer dan segel;
- keterangan **freight prepaid** (untuk CFR/CIF) atau **freight collect** (untuk FOB);
- tanggal *on board*, yang tidak boleh melewati batas pengapalan dalam kontrak atau L/C.
"""

VIDEO_NOTES = """\
Video ini menunjukkan cara membaca Bill of Lading bagian demi bagian: shipper, consignee,
notify party, pelabuhan, uraian barang, notasi *on board*, dan keterangan ongkos angkut.
Sambil menonton, cocokkan setiap kolom dengan commercial invoice dan packing list Anda.
"""

PEB = """\
# PEB, penjaluran, dan NPE di CEISA

## Apa itu PEB

**Pemberitahuan Ekspor Barang (PEB)** adalah pemberitahuan pabean yang diajukan eksportir
atau PPJK kepada Bea Cukai. PEB diajukan secara elektronik melalui sistem **CEISA**
(*Customs-Excise Information System and Automation*) milik DJBC; akses kepabeanan melekat
pada NIB eksportir.

## Data utama dalam PEB

- Identitas eksportir dan penerima barang di luar negeri;
- pelabuhan muat, pelabuhan tujuan, negara tujuan, dan sarana pengangkut;
- uraian barang, **HS code**, jumlah dan jenis satuan, berat bersih;
- **nilai FOB** serta mata uang transaksi;
- jumlah dan jenis kemasan, nomor kontainer;
- dokumen pelengkap: invoice, packing list, dan izin atau sertifikat bila barangnya lartas.

## Waktu pengajuan

Aturan umumnya, PEB diajukan **paling cepat 7 hari sebelum perkiraan tanggal ekspor** dan
**paling lambat sebelum barang masuk ke kawasan pabean** tempat pemuatan. Ada pengecualian
untuk kondisi tertentu, misalnya barang curah. Konfirmasikan jadwal dengan PPJK atau
forwarder Anda.

## Penjaluran dan NPE

Setelah PEB diterima, sistem menetapkan jalur:

| Jalur | Artinya |
|---|---|
| **Hijau** | Tanpa pemeriksaan fisik; NPE dapat segera terbit |
| **Merah** | Pemeriksaan fisik barang sebelum NPE diterbitkan |

**Nota Pelayanan Ekspor (NPE)** adalah persetujuan Bea Cukai bahwa barang boleh dimuat ke
sarana pengangkut. Tanpa NPE, barang tidak bisa dimuat.

## Setelah barang dimuat

Bila terjadi perubahan (misalnya jumlah yang dimuat berbeda atau pengapalan batal), ajukan
perubahan atau pembatalan PEB sesuai prosedur. Data PEB juga menjadi sumber **statistik
ekspor** yang diolah BPS, sehingga keakuratannya penting bagi data perdagangan nasional.
"""

SKA = """\
# Surat Keterangan Asal (SKA / Certificate of Origin)

**SKA** adalah dokumen yang menyatakan bahwa barang berasal dari Indonesia. SKA diterbitkan
oleh **Instansi Penerbit SKA (IPSKA)** yang ditetapkan Kementerian Perdagangan, dan diajukan
secara elektronik melalui sistem **e-SKA**.

## Untuk apa SKA?

- **SKA preferensi**: agar importir di negara tujuan mendapat **tarif bea masuk lebih
  rendah** berdasarkan perjanjian perdagangan;
- **SKA non-preferensi**: sekadar membuktikan asal barang, bila diminta pembeli atau
  peraturan negara tujuan.

## Contoh bentuk SKA

| Form | Perjanjian / tujuan |
|---|---|
| Form D | ATIGA — sesama negara ASEAN |
| Form E | ASEAN–China (ACFTA) |
| Form AK | ASEAN–Korea (AKFTA) |
| Form AI | ASEAN–India (AIFTA) |
| Form AANZ | ASEAN–Australia–Selandia Baru |
| Form IJEPA | Indonesia–Jepang |
| Form B | SKA non-preferensi |

Beberapa perjanjian juga mengenal **deklarasi asal barang** yang dibuat sendiri oleh
eksportir yang telah disetujui, sebagai pengganti SKA yang diterbitkan instansi.

## Kriteria asal

Agar memperoleh preferensi, barang harus memenuhi **ketentuan asal barang (rules of
origin)** perjanjian yang bersangkutan, misalnya:

- **WO (wholly obtained)** — seluruhnya diperoleh di Indonesia, seperti hasil pertanian
  atau ikan yang ditangkap kapal berbendera Indonesia;
- **RVC (regional value content)** — kandungan nilai regional minimal tertentu, misalnya
  40% pada ATIGA;
- **CTC (change in tariff classification)** — bahan impor mengalami perubahan pos tarif
  (misalnya pada tingkat 4 digit, CTH) karena diproses di Indonesia.

## Tips

- Ajukan SKA sesuai data PEB dan B/L yang sudah final.
- Periksa dulu apakah produk Anda memenuhi kriteria asal **sebelum** menjanjikan SKA
  preferensi kepada pembeli.
"""

DOKUMEN_LAIN = """\
# Dokumen pendukung lainnya

Selain dokumen inti, pembeli, bank, atau negara tujuan sering meminta dokumen tambahan.

| Dokumen | Kegunaan | Penerbit |
|---|---|---|
| Sertifikat kesehatan / fitosanitari | Produk hewan, ikan, dan tumbuhan bebas hama dan penyakit | Badan Karantina Indonesia |
| Laporan Surveyor (LS) | Verifikasi teknis untuk komoditas tertentu yang diwajibkan | Surveyor yang ditunjuk |
| Polis / sertifikat asuransi | Bukti perlindungan barang selama pengangkutan (wajib penjual pada CIF dan CIP) | Perusahaan asuransi |
| Certificate of Analysis | Hasil uji mutu, misalnya kadar air atau kontaminan | Laboratorium |
| Sertifikat fumigasi | Bukti perlakuan hama, misalnya untuk kemasan kayu | Perusahaan fumigasi terdaftar |
| Sertifikat halal, organik, atau keberlanjutan | Persyaratan pasar atau pembeli tertentu | Lembaga sertifikasi |

## Kemasan kayu dan ISPM 15

Palet dan peti kayu untuk ekspor umumnya harus memenuhi standar internasional **ISPM 15**:
kayu diberi perlakuan (misalnya pemanasan) dan dicap tanda resmi. Kemasan kayu tanpa tanda
ini bisa ditolak, dimusnahkan, atau diperlakukan ulang di negara tujuan dengan biaya dari
pihak Anda.

## Membuat daftar dokumen per pembeli

Susun *document checklist* untuk setiap pembeli dan negara tujuan: dokumen apa, berapa
lembar asli dan salinan, siapa penerbitnya, dan berapa lama prosesnya. Daftar ini
mencegah keterlambatan pembayaran karena dokumen kurang.
"""

QUIZ = [
    {
        "id": "q1",
        "prompt": "Dokumen mana yang berfungsi sebagai dokumen kepemilikan barang (document of title)?",
        "kind": "single",
        "options": [
            {"id": "a", "text": "Sea Waybill"},
            {
                "id": "b",
                "text": "Bill of Lading yang dapat dipindahtangankan (to order)",
                "correct": True,
            },
            {"id": "c", "text": "Packing list"},
            {"id": "d", "text": "Air Waybill"},
        ],
        "explanation": (
            "B/L to order adalah dokumen kepemilikan: pemegang B/L asli yang sah berhak atas "
            "barang. Sea Waybill dan Air Waybill hanya tanda terima dan bukti kontrak angkut."
        ),
    },
    {
        "id": "q2",
        "prompt": "Informasi apa yang harus konsisten antara commercial invoice, packing list, dan B/L?",
        "kind": "multiple",
        "options": [
            {"id": "a", "text": "Jumlah kemasan dan shipping marks", "correct": True},
            {"id": "b", "text": "Nama pengirim dan penerima barang", "correct": True},
            {"id": "c", "text": "Uraian barang", "correct": True},
            {"id": "d", "text": "Nomor rekening bank eksportir"},
        ],
        "explanation": (
            "Jumlah kemasan, shipping marks, para pihak, dan uraian barang harus sama di "
            "semua dokumen. Nomor rekening bank tidak tercantum di packing list maupun B/L."
        ),
    },
    {
        "id": "q3",
        "prompt": "Melalui sistem apa PEB diajukan?",
        "kind": "single",
        "options": [
            {"id": "a", "text": "OSS"},
            {"id": "b", "text": "CEISA", "correct": True},
            {"id": "c", "text": "e-SKA"},
            {"id": "d", "text": "INATRADE"},
        ],
        "explanation": (
            "PEB diajukan melalui CEISA milik Bea Cukai. OSS untuk NIB, e-SKA untuk Surat "
            "Keterangan Asal, dan INATRADE untuk perizinan perdagangan Kemendag."
        ),
    },
    {
        "id": "q4",
        "prompt": "SKA apa yang dipakai agar pembeli di sesama negara ASEAN mendapat tarif preferensi ATIGA?",
        "kind": "single",
        "options": [
            {"id": "a", "text": "Form B"},
            {"id": "b", "text": "Form D", "correct": True},
            {"id": "c", "text": "Form E"},
            {"id": "d", "text": "Form AK"},
        ],
        "explanation": (
            "Form D untuk ATIGA. Form E untuk ASEAN–China, Form AK untuk ASEAN–Korea, dan "
            "Form B adalah SKA non-preferensi."
        ),
    },
    {
        "id": "q5",
        "prompt": "Pernyataan mana yang benar tentang packing list?",
        "kind": "multiple",
        "options": [
            {
                "id": "a",
                "text": "Merinci isi tiap kemasan, berat bersih dan kotor, serta ukuran",
                "correct": True,
            },
            {"id": "b", "text": "Menetapkan harga jual barang"},
            {
                "id": "c",
                "text": "Membantu pemeriksaan fisik dan pembongkaran barang",
                "correct": True,
            },
            {"id": "d", "text": "Dapat menggantikan commercial invoice"},
        ],
        "explanation": (
            "Packing list tidak memuat harga dan tidak menggantikan invoice; fungsinya merinci "
            "isi, berat, dan ukuran kemasan untuk pemeriksaan dan pembongkaran."
        ),
    },
]

COURSE: dict[str, Any] = {
    "slug": "dokumen-ekspor-invoice-packing-list-bl-ska-peb",
    "title": "Dokumen Ekspor: Invoice, Packing List, B/L, SKA/COO, PEB",
    "summary": (
        "Pelajari fungsi, isi, dan cara memeriksa dokumen ekspor utama — dari commercial "
        "invoice dan packing list, Bill of Lading, PEB dan NPE di CEISA, hingga SKA."
    ),
    "description_md": (
        "Dokumen yang lengkap dan konsisten adalah kunci agar barang lancar keluar dan "
        "pembayaran cair tepat waktu. Kursus ini membahas:\n\n"
        "1. proforma dan commercial invoice;\n"
        "2. packing list dan shipping marks;\n"
        "3. Bill of Lading beserta alternatifnya;\n"
        "4. PEB, penjaluran, dan NPE melalui CEISA;\n"
        "5. SKA/Certificate of Origin melalui e-SKA;\n"
        "6. dokumen pendukung seperti sertifikat karantina dan ISPM 15."
    ),
    "level": "beginner",
    "language": "id",
    "tags": ["dokumen ekspor", "kepabeanan", "ska", "bill of lading"],
    "estimated_minutes": 80,
    "sections": [
        {
            "title": "Dokumen Komersial",
            "lessons": [
                {
                    "title": "Proforma invoice dan commercial invoice",
                    "kind": "text",
                    "body_md": INVOICE,
                    "duration_minutes": 10,
                },
                {
                    "title": "Packing list dan shipping marks",
                    "kind": "text",
                    "body_md": PACKING_LIST,
                    "duration_minutes": 8,
                },
            ],
        },
        {
            "title": "Dokumen Pengangkutan",
            "lessons": [
                {
                    "title": "Bill of Lading dan alternatifnya",
                    "kind": "text",
                    "body_md": BILL_OF_LADING,
                    "duration_minutes": 12,
                },
                {
                    "title": "Video: cara membaca Bill of Lading",
                    "kind": "video",
                    "video_url": demo_video_url("bill-of-lading"),
                    "body_md": VIDEO_NOTES + "\n" + transcript_md("bill-of-lading"),
                    "duration_minutes": 3,
                },
            ],
        },
        {
            "title": "Dokumen Kepabeanan dan Asal Barang",
            "lessons": [
                {
                    "title": "PEB, penjaluran, dan NPE di CEISA",
                    "kind": "text",
                    "body_md": PEB,
                    "duration_minutes": 10,
                },
                {
                    "title": "Surat Keterangan Asal (SKA/COO)",
                    "kind": "text",
                    "body_md": SKA,
                    "duration_minutes": 10,
                },
                {
                    "title": "Dokumen pendukung lainnya",
                    "kind": "text",
                    "body_md": DOKUMEN_LAIN,
                    "duration_minutes": 8,
                },
                {
                    "title": "Kuis: Dokumen Ekspor",
                    "kind": "quiz",
                    "questions": QUIZ,
                    "pass_mark": 70,
                    "max_attempts": 3,
                    "duration_minutes": 10,
                    "body_md": "Lima pertanyaan tentang dokumen ekspor. Nilai lulus 70, maksimal 3 percobaan.",
                },
            ],
        },
    ],
}
