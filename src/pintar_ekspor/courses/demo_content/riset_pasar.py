# ruff: noqa: E501  (Markdown tables and prose cannot be wrapped)
"""Demo course: Riset Pasar dan Membaca Data Perdagangan."""

from __future__ import annotations

from typing import Any

from pintar_ekspor.courses.demo_content.videos import demo_video_url, transcript_md

HS_CODE = """\
# Struktur HS Code dan BTKI 2022

**HS (Harmonized Commodity Description and Coding System)** adalah sistem klasifikasi
barang yang dikelola *World Customs Organization* (WCO) dan dipakai lebih dari 200 negara.
HS code menentukan tarif bea masuk, ketentuan larangan/pembatasan, persyaratan asal
barang, sekaligus menjadi "kunci" untuk mencari data perdagangan.

## Dari 2 sampai 8 digit

HS 2022 terdiri atas 21 bagian (*section*) dan 97 bab (*chapter*; bab 77 dicadangkan).
Enam digit pertama berlaku sama secara internasional, sedangkan digit berikutnya
ditambahkan oleh kawasan atau negara.

| Tingkat | Digit | Contoh | Arti |
|---|---|---|---|
| Bab (chapter) | 2 | 09 | Kopi, teh, mate, dan rempah-rempah |
| Pos (heading) | 4 | 09.01 | Kopi |
| Subpos (subheading) | 6 | 0901.11 | Kopi, tidak digongseng, tidak dihilangkan kafeinnya |
| Pos tarif nasional | 8 | 0901.11.xx | Rincian di tingkat ASEAN/Indonesia |

Negara-negara ASEAN memakai **AHTN** (*ASEAN Harmonised Tariff Nomenclature*) 8 digit.
Indonesia menuangkannya dalam **Buku Tarif Kepabeanan Indonesia (BTKI) 2022**, yang
berbasis HS 2022 dan AHTN 2022, sehingga **HS code di Indonesia terdiri atas 8 digit**.

## Beberapa contoh 6 digit

| HS | Uraian singkat |
|---|---|
| 0901.11 | Kopi, tidak digongseng, tidak dihilangkan kafeinnya |
| 0901.21 | Kopi digongseng, tidak dihilangkan kafeinnya |
| 0904.11 | Lada, tidak dihancurkan atau ditumbuk |
| 0908.11 | Pala, tidak dihancurkan atau ditumbuk |
| 1511.10 | Minyak kelapa sawit mentah (CPO) |
| 1801.00 | Biji kakao, utuh atau pecah, mentah atau digongseng |
| 0306.17 | Udang lainnya, beku |

## Cara menentukan HS code

1. Pahami barangnya: bahan, fungsi, tingkat pengolahan, dan kemasan.
2. Gunakan **Ketentuan Umum untuk Menginterpretasi HS** (enam kaidah, *General
   Interpretative Rules*): klasifikasi ditentukan terutama oleh uraian pos dan catatan
   bagian/bab, bukan oleh judulnya saja.
3. Cari di BTKI melalui portal **INSW**, yang juga menampilkan ketentuan lartas ekspor.
4. Bila ragu, minta pendapat PPJK atau ajukan permohonan penetapan klasifikasi ke Bea
   Cukai sebelum mengekspor.

HS code yang keliru bisa berujung pada tarif yang salah di negara tujuan, penolakan
preferensi SKA, atau data riset pasar yang tidak relevan.
"""

VIDEO_NOTES = """\
Video ini memperagakan pencarian HS code di portal INSW: mengetik kata kunci produk,
menelusuri bab dan pos, lalu membaca ketentuan ekspor (lartas) yang berlaku untuk pos
tarif 8 digit tersebut. Cobalah langsung dengan produk Anda sendiri.
"""

SUMBER_DATA = """\
# Sumber data perdagangan dan cara membacanya

Riset pasar ekspor yang baik berangkat dari data, bukan dugaan. Untungnya, banyak data
perdagangan tersedia gratis.

## Sumber utama

| Sumber | Isi | Kegunaan |
|---|---|---|
| **BPS** (Badan Pusat Statistik) | Ekspor–impor Indonesia per HS, negara, dan bulan | Kinerja ekspor Indonesia sendiri |
| **UN Comtrade** | Data perdagangan hampir semua negara, per HS 6 digit | Membandingkan pasar dan pesaing |
| **ITC Trade Map** | Olahan data perdagangan: nilai, pertumbuhan, pangsa, harga satuan | Memetakan pasar potensial dengan cepat |
| **WITS** (World Bank) | Data perdagangan dan tarif | Analisis tarif dan akses pasar |
| **ITC Market Access Map** | Tarif, preferensi, dan hambatan non-tarif | Mengetahui bea masuk di negara tujuan |
| **Portal Kementerian Perdagangan** | Statistik dan informasi pasar | Ringkasan kinerja dan peluang |

## FOB dan CIF dalam statistik

- **Ekspor** dicatat dalam nilai **FOB** — nilai barang sampai di atas kapal di pelabuhan
  muat negara pengekspor.
- **Impor** dicatat dalam nilai **CIF** — sudah termasuk ongkos angkut dan asuransi sampai
  pelabuhan negara pengimpor.

Akibatnya, ekspor Indonesia ke negara X (FOB) hampir selalu lebih kecil daripada impor
negara X dari Indonesia (CIF), walau barangnya sama. Perbedaan juga muncul karena waktu
pencatatan, klasifikasi, dan perdagangan transit.

## Data cermin (*mirror data*)

Bila data ekspor suatu negara tidak lengkap, gunakan **data impor negara mitra** sebagai
pembanding. Teknik ini berguna untuk melihat pesaing dari negara yang jarang melaporkan
datanya.

## Indikator yang perlu dibaca

- **Nilai** (USD) dan **volume** (kg atau ton);
- **harga satuan** (*unit value*) = nilai ÷ volume, misalnya USD/kg — petunjuk segmen
  harga pasar;
- **pangsa pasar** = impor pasar dari Indonesia ÷ total impor pasar tersebut;
- **pertumbuhan** nilai dan volume dari tahun ke tahun;
- **pemasok utama** dan posisi Indonesia di antara mereka.
"""

TREN = """\
# Menghitung tren dan pertumbuhan

Angka perdagangan baru bermakna bila dibandingkan antarwaktu. Misalkan nilai ekspor produk
X ke sebuah pasar (angka ilustrasi, juta USD, nilai FOB):

| Tahun | Nilai | Pertumbuhan YoY |
|---|---:|---:|
| 2020 | 1,20 | — |
| 2021 | 1,50 | +25,0% |
| 2022 | 1,65 | +10,0% |
| 2023 | 1,45 | −12,1% |
| 2024 | 1,90 | +31,0% |

## Pertumbuhan tahunan (YoY)

**YoY = (nilai tahun ini ÷ nilai tahun lalu) − 1.** Contoh 2021: 1,50 ÷ 1,20 − 1 = 25%.
Untuk data bulanan, bandingkan bulan yang sama tahun lalu (misalnya Maret 2024 dengan
Maret 2023) agar pola musiman tidak menyesatkan.

## Pertumbuhan rata-rata majemuk (CAGR)

**CAGR = (nilai akhir ÷ nilai awal)^(1/n) − 1**, dengan *n* jumlah periode.

Dari 2020 ke 2024 ada 4 periode: (1,90 ÷ 1,20)^(1/4) − 1 ≈ **12,2% per tahun**.

Bandingkan dengan pertumbuhan total 58,3%. Membagi 58,3% dengan 4 (≈14,6%) adalah
kesalahan umum: cara itu mengabaikan efek majemuk.

## Menghaluskan fluktuasi

**Rata-rata bergerak 3 tahun** untuk 2022, 2023, dan 2024 adalah 1,45; 1,53; dan 1,67.
Rata-rata bergerak memperlihatkan arah tren yang tertutup oleh penurunan satu tahun
seperti pada 2023.

## Pangsa dan perbandingan

Jika total impor pasar untuk produk X pada 2024 adalah USD 38,0 juta, maka pangsa
Indonesia = 1,90 ÷ 38,0 = **5,0%**. Pangsa yang naik berarti Indonesia tumbuh lebih cepat
daripada pasarnya.

## Jebakan yang sering terjadi

- **Urutkan data menurut tanggal** sebelum menghitung tren; data yang tidak urut
  menghasilkan kemiringan dan pertumbuhan yang salah.
- Gunakan **mata uang yang sama**; perhatikan juga perubahan kurs dan harga (nilai naik
  bisa karena harga, bukan volume).
- Periksa **outlier**, misalnya satu pengiriman besar yang tidak berulang.
- Jangan menyimpulkan tren dari **satu tahun** saja; lihat minimal 3–5 tahun.

Modul analitik Pintar Ekspor melakukan langkah-langkah ini secara otomatis — mengurutkan,
membersihkan, menandai outlier, lalu menghitung tren, pertumbuhan, dan proyeksi — sehingga
Anda bisa fokus menafsirkan hasilnya.
"""

MEMILIH_PASAR = """\
# Dari data ke keputusan: memilih pasar sasaran

Data yang sudah dibaca perlu diringkas menjadi keputusan: pasar mana yang didahulukan.
Cara sederhana yang efektif adalah **matriks penilaian**.

## Langkah-langkah

1. **Saring** 10–15 negara pengimpor terbesar untuk HS code produk Anda (misalnya dari
   Trade Map).
2. **Tentukan kriteria dan bobot**, misalnya:

| Kriteria | Bobot | Sumber data |
|---|---:|---|
| Ukuran pasar (nilai impor) | 25% | UN Comtrade / Trade Map |
| Pertumbuhan impor (CAGR 5 tahun) | 20% | UN Comtrade / Trade Map |
| Tarif dan preferensi bagi Indonesia | 20% | Market Access Map, perjanjian dagang |
| Persyaratan teknis dan standar | 15% | Regulasi negara tujuan, atase perdagangan |
| Jarak dan biaya logistik | 10% | Forwarder, jadwal pelayaran |
| Tingkat persaingan | 10% | Pemasok utama dan pangsanya |

3. **Beri skor** 1–5 untuk setiap negara pada tiap kriteria, kalikan dengan bobot, lalu
   jumlahkan.
4. **Validasi** 2–3 pasar teratas dengan sumber kualitatif: atase perdagangan atau ITPC
   (*Indonesian Trade Promotion Center*), pameran dagang, dan percakapan dengan calon
   pembeli.

## Contoh interpretasi

Pasar A besar tetapi tumbuh lambat dan tarifnya tinggi; pasar B lebih kecil namun tumbuh
15% per tahun dan Indonesia mendapat tarif 0% melalui perjanjian dagang. Untuk eksportir
pemula, pasar B sering lebih menarik karena persaingan belum terlalu ketat dan ada
keunggulan tarif.

## Daftar periksa sebelum memutuskan

- [ ] HS code 6 dan 8 digit sudah benar
- [ ] Tren impor 3–5 tahun sudah dihitung (YoY dan CAGR)
- [ ] Harga satuan pasar sebanding dengan struktur biaya Anda
- [ ] Tarif, ketentuan asal barang, dan dokumen (SKA) sudah dipahami
- [ ] Persyaratan label, standar, dan sertifikasi sudah diperiksa
- [ ] Rencana promosi dan kontak calon pembeli sudah disiapkan
"""

QUIZ = [
    {
        "id": "q1",
        "prompt": "Berapa digit HS code yang dipakai Indonesia dalam BTKI 2022?",
        "kind": "single",
        "options": [
            {"id": "a", "text": "4 digit"},
            {"id": "b", "text": "6 digit"},
            {"id": "c", "text": "8 digit", "correct": True},
            {"id": "d", "text": "10 digit"},
        ],
        "explanation": (
            "Enam digit pertama adalah HS internasional (WCO); ASEAN menambahkannya menjadi 8 "
            "digit (AHTN), yang dipakai Indonesia dalam BTKI 2022."
        ),
    },
    {
        "id": "q2",
        "prompt": "Dalam statistik perdagangan, nilai ekspor umumnya dicatat dengan basis…",
        "kind": "single",
        "options": [
            {"id": "a", "text": "FOB", "correct": True},
            {"id": "b", "text": "CIF"},
            {"id": "c", "text": "EXW"},
            {"id": "d", "text": "DDP"},
        ],
        "explanation": (
            "Ekspor dicatat FOB, sedangkan impor dicatat CIF (termasuk ongkos angkut dan "
            "asuransi). Karena itu data ekspor dan data impor cermin jarang sama persis."
        ),
    },
    {
        "id": "q3",
        "prompt": "Nilai ekspor naik dari USD 2,0 juta (2023) menjadi USD 2,5 juta (2024). Berapa pertumbuhan YoY-nya?",
        "kind": "single",
        "options": [
            {"id": "a", "text": "20%"},
            {"id": "b", "text": "25%", "correct": True},
            {"id": "c", "text": "50%"},
            {"id": "d", "text": "0,5%"},
        ],
        "explanation": (
            "YoY = nilai tahun ini ÷ nilai tahun lalu − 1 = 2,5 ÷ 2,0 − 1 = 0,25, atau 25%. "
            "Selisihnya USD 0,5 juta, dibagi nilai awal USD 2,0 juta."
        ),
    },
    {
        "id": "q4",
        "prompt": "Nilai ekspor naik dari USD 1,20 juta (2020) menjadi USD 1,90 juta (2024). Berapa CAGR-nya?",
        "kind": "single",
        "options": [
            {"id": "a", "text": "Sekitar 12,2% per tahun", "correct": True},
            {"id": "b", "text": "Sekitar 14,6% per tahun"},
            {"id": "c", "text": "Sekitar 58,3% per tahun"},
            {"id": "d", "text": "Sekitar 9,5% per tahun"},
        ],
        "explanation": (
            "CAGR = (1,90 ÷ 1,20)^(1/4) − 1 ≈ 12,2%. Angka 58,3% adalah pertumbuhan total, "
            "dan 14,6% adalah hasil membagi rata yang mengabaikan efek majemuk."
        ),
    },
    {
        "id": "q5",
        "prompt": "Hal apa saja yang perlu diperhatikan saat menghitung tren dari data perdagangan?",
        "kind": "multiple",
        "options": [
            {
                "id": "a",
                "text": "Mengurutkan data menurut tanggal terlebih dahulu",
                "correct": True,
            },
            {"id": "b", "text": "Memakai mata uang yang sama untuk semua periode", "correct": True},
            {
                "id": "c",
                "text": "Memeriksa outlier seperti pengiriman besar satu kali",
                "correct": True,
            },
            {"id": "d", "text": "Menyimpulkan tren jangka panjang dari pertumbuhan satu tahun"},
        ],
        "explanation": (
            "Data harus urut waktu, dalam mata uang yang sama, dan diperiksa outliernya. Satu "
            "tahun pertumbuhan tidak cukup untuk menyimpulkan tren; lihat 3–5 tahun."
        ),
    },
]

COURSE: dict[str, Any] = {
    "slug": "riset-pasar-dan-membaca-data-perdagangan",
    "title": "Riset Pasar dan Membaca Data Perdagangan: HS Code, Nilai FOB, Tren, Pertumbuhan",
    "summary": (
        "Tentukan HS code produk Anda, temukan data perdagangan yang tepat, hitung tren, "
        "YoY, CAGR, dan pangsa pasar, lalu pilih pasar sasaran dengan matriks penilaian."
    ),
    "description_md": (
        "Kursus ini mengajarkan cara memakai data untuk memilih pasar ekspor:\n\n"
        "- struktur HS code, AHTN, dan BTKI 2022 (8 digit);\n"
        "- sumber data: BPS, UN Comtrade, Trade Map, WITS, Market Access Map;\n"
        "- arti nilai FOB dan CIF dalam statistik;\n"
        "- menghitung YoY, CAGR, rata-rata bergerak, dan pangsa pasar;\n"
        "- menyusun matriks penilaian pasar sasaran.\n\n"
        "Cocok dipelajari bersama modul analitik Pintar Ekspor."
    ),
    "level": "intermediate",
    "language": "id",
    "tags": ["riset pasar", "data perdagangan", "hs code", "analitik"],
    "estimated_minutes": 85,
    "sections": [
        {
            "title": "HS Code dan Klasifikasi Barang",
            "lessons": [
                {
                    "title": "Struktur HS code dan BTKI 2022",
                    "kind": "text",
                    "body_md": HS_CODE,
                    "duration_minutes": 12,
                },
                {
                    "title": "Video: mencari HS code di portal INSW",
                    "kind": "video",
                    "video_url": demo_video_url("hs-code-insw"),
                    "body_md": VIDEO_NOTES + "\n" + transcript_md("hs-code-insw"),
                    "duration_minutes": 3,
                },
            ],
        },
        {
            "title": "Sumber Data dan Indikator",
            "lessons": [
                {
                    "title": "Sumber data perdagangan dan cara membacanya",
                    "kind": "text",
                    "body_md": SUMBER_DATA,
                    "duration_minutes": 12,
                },
                {
                    "title": "Menghitung tren dan pertumbuhan",
                    "kind": "text",
                    "body_md": TREN,
                    "duration_minutes": 15,
                },
            ],
        },
        {
            "title": "Dari Data ke Keputusan",
            "lessons": [
                {
                    "title": "Memilih pasar sasaran",
                    "kind": "text",
                    "body_md": MEMILIH_PASAR,
                    "duration_minutes": 12,
                },
                {
                    "title": "Kuis: Riset Pasar dan Data Perdagangan",
                    "kind": "quiz",
                    "questions": QUIZ,
                    "pass_mark": 70,
                    "max_attempts": 3,
                    "duration_minutes": 10,
                    "body_md": "Lima pertanyaan, termasuk hitungan YoY dan CAGR. Nilai lulus 70, maksimal 3 percobaan.",
                },
            ],
        },
    ],
}
