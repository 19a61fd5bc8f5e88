# ruff: noqa: E501  (Markdown tables and prose cannot be wrapped)
"""Demo course: Incoterms 2020 dan Pembayaran Internasional (L/C, T/T, D/P)."""

from __future__ import annotations

from typing import Any

from pintar_ekspor.courses.demo_content.videos import demo_video_url, transcript_md

INCOTERMS_DASAR = """\
# Mengenal Incoterms® 2020

**Incoterms®** adalah aturan baku dari *International Chamber of Commerce* (ICC) tentang
pembagian **kewajiban, biaya, dan risiko** antara penjual dan pembeli dalam penyerahan
barang. Versi yang berlaku saat ini adalah **Incoterms® 2020**, yang terdiri atas
**11 istilah**.

## Apa yang diatur dan yang tidak

Incoterms mengatur: di mana barang diserahkan, kapan risiko berpindah, siapa menanggung
biaya angkut dan asuransi, serta siapa mengurus formalitas ekspor dan impor.

Incoterms **tidak** mengatur perpindahan kepemilikan barang, harga dan cara pembayaran, atau
akibat wanprestasi. Hal-hal tersebut harus ditulis dalam kontrak penjualan.

## Dua kelompok istilah

**Untuk semua moda transportasi (7 istilah):**

| Istilah | Nama lengkap | Risiko berpindah ketika… |
|---|---|---|
| EXW | Ex Works | barang disediakan di tempat penjual (belum dimuat) |
| FCA | Free Carrier | barang diserahkan kepada pengangkut pilihan pembeli |
| CPT | Carriage Paid To | barang diserahkan kepada pengangkut pertama; penjual membayar angkutan ke tujuan |
| CIP | Carriage and Insurance Paid To | sama dengan CPT, ditambah asuransi oleh penjual |
| DAP | Delivered at Place | barang tiba di tempat tujuan, siap dibongkar |
| DPU | Delivered at Place Unloaded | barang sudah dibongkar di tempat tujuan |
| DDP | Delivered Duty Paid | barang tiba di tujuan, bea masuk dan formalitas impor dibayar penjual |

**Khusus angkutan laut dan perairan darat (4 istilah):**

| Istilah | Nama lengkap | Risiko berpindah ketika… |
|---|---|---|
| FAS | Free Alongside Ship | barang diletakkan di samping kapal di pelabuhan muat |
| FOB | Free on Board | barang berada di atas kapal di pelabuhan muat |
| CFR | Cost and Freight | barang berada di atas kapal; penjual membayar ongkos angkut ke pelabuhan tujuan |
| CIF | Cost, Insurance and Freight | sama dengan CFR, ditambah asuransi oleh penjual |

## Perubahan penting dari Incoterms 2010

- **DAT diganti DPU**: tempat tujuan tidak harus terminal. DPU adalah satu-satunya istilah
  yang mewajibkan penjual membongkar barang di tujuan.
- **CIP kini mewajibkan asuransi minimal Institute Cargo Clauses (A)** (cakupan luas),
  sedangkan **CIF tetap minimal ICC (C)**. Nilai pertanggungan minimal 110% dari nilai
  kontrak.
- **FCA** memberi opsi agar pembeli menginstruksikan pengangkut menerbitkan B/L dengan
  notasi *on board* kepada penjual — berguna untuk transaksi L/C.
- Penjual atau pembeli boleh memakai **alat angkut sendiri** pada FCA, DAP, DPU, dan DDP.

## Cara menulisnya

Selalu sebutkan istilah, tempat yang spesifik, dan versinya, misalnya
**"FOB Tanjung Priok, Jakarta Incoterms® 2020"** atau **"CIP Narita Airport Incoterms® 2020"**.
"""

MEMILIH_INCOTERMS = """\
# Memilih Incoterms yang tepat

Tidak ada Incoterms yang paling baik untuk semua transaksi. Pilihan bergantung pada moda
angkut, kemampuan Anda mengatur logistik, cara pembayaran, dan daya tawar terhadap pembeli.

## Kontainer: FCA lebih tepat daripada FOB

Barang dalam kontainer biasanya diserahkan ke depo atau terminal **beberapa hari sebelum**
dimuat ke kapal. Pada FOB, risiko baru berpindah saat barang berada di atas kapal, padahal
barang sudah tidak lagi dalam kendali penjual. Karena itu ICC menyarankan **FCA** (atau CPT/
CIP) untuk kargo kontainer, dan FOB/CFR/CIF untuk muatan curah atau *breakbulk* yang memang
dimuat langsung ke kapal.

## CIF atau CIP: perhatikan asuransinya

| | CIF | CIP |
|---|---|---|
| Moda | Laut dan perairan darat | Semua moda |
| Risiko berpindah | Di atas kapal, pelabuhan muat | Saat diserahkan ke pengangkut pertama |
| Asuransi minimum | ICC (C) | ICC (A) |
| Nilai pertanggungan | Minimal 110% nilai kontrak | Minimal 110% nilai kontrak |

Ingat **dua titik kritis** pada istilah C (CFR, CIF, CPT, CIP): biaya angkut ditanggung
penjual sampai tujuan, tetapi **risiko sudah berpindah di tempat pengiriman**.

## Istilah D: penjual menanggung lebih banyak

Pada DAP, DPU, dan DDP penjual menanggung risiko sampai tujuan. **DDP** juga mewajibkan
penjual mengurus impor dan membayar bea masuk serta pajak di negara pembeli — sering sulit
bagi eksportir karena harus terdaftar sebagai importir di sana. Untuk pemula, hindari DDP
kecuali Anda memiliki mitra yang andal di negara tujuan.

## EXW: terlihat mudah, sering bermasalah

Pada EXW pembeli yang harus mengurus ekspor di Indonesia. Padahal pemberitahuan pabean
(PEB) diajukan oleh eksportir yang memiliki akses kepabeanan. Dalam praktik, **FCA gudang
penjual** biasanya lebih tepat: penjual memuat barang dan mengurus formalitas ekspor.

## Ringkasan pilihan

| Situasi | Pilihan yang umum |
|---|---|
| Pemula, pembeli punya forwarder | FCA (kontainer) atau FOB (curah) |
| Penjual mendapat ongkos angkut lebih murah | CPT/CIP (kontainer) atau CFR/CIF (curah) |
| Pembeli ingin terima beres | DAP atau DPU; DDP hanya bila siap mengurus impor |
"""

VIDEO_NOTES = """\
Video ini merangkum 11 istilah Incoterms® 2020 dengan ilustrasi perjalanan satu kontainer
dari gudang penjual sampai gudang pembeli. Perhatikan di titik mana **risiko** berpindah dan
siapa yang membayar **biaya** pada setiap istilah — keduanya tidak selalu berada di titik
yang sama.
"""

METODE_PEMBAYARAN = """\
# Metode pembayaran internasional dan risikonya

Cara pembayaran menentukan siapa yang menanggung risiko: penjual takut tidak dibayar,
pembeli takut barang tidak dikirim. Berikut metode yang umum, diurutkan dari yang **paling
aman bagi eksportir** sampai yang **paling berisiko**.

| Metode | Cara kerja singkat | Risiko eksportir | Risiko importir |
|---|---|---|---|
| T/T di muka (*advance payment*) | Pembeli mentransfer sebelum barang dikirim | Sangat rendah | Tinggi |
| Letter of Credit (L/C) | Bank penerbit berjanji membayar bila dokumen sesuai syarat | Rendah | Rendah–sedang |
| D/P (*documents against payment*) | Dokumen diserahkan kepada pembeli setelah ia membayar | Sedang | Sedang |
| D/A (*documents against acceptance*) | Dokumen diserahkan setelah pembeli mengaksep wesel berjangka | Tinggi | Rendah |
| Open account | Barang dan dokumen dikirim dulu, pembeli membayar kemudian | Sangat tinggi | Sangat rendah |

## Kombinasi yang sering dipakai

- **30% T/T di muka + 70% T/T terhadap salinan B/L**: uang muka menutup biaya produksi,
  pelunasan dilakukan sebelum dokumen asli diserahkan.
- **L/C at sight** untuk pembeli baru atau nilai transaksi besar.
- **Open account** hanya untuk pembeli lama yang terpercaya, sebaiknya dengan asuransi
  kredit ekspor.

## Memilih metode

Pertimbangkan: reputasi dan riwayat pembeli, nilai transaksi, risiko negara tujuan, biaya
bank, dan kebiasaan di industri Anda. Metode yang terlalu memberatkan pembeli bisa
membuat Anda kalah bersaing, sedangkan metode yang terlalu longgar bisa membuat Anda
kehilangan barang sekaligus uangnya.
"""

LETTER_OF_CREDIT = """\
# Letter of Credit (L/C)

L/C adalah **janji tertulis bank penerbit** untuk membayar eksportir apabila eksportir
menyerahkan dokumen yang **sesuai** dengan syarat L/C. Sebagian besar L/C tunduk pada
**UCP 600** (*Uniform Customs and Practice for Documentary Credits*, publikasi ICC).

## Pihak-pihak dalam L/C

| Pihak | Peran |
|---|---|
| Applicant | Importir yang meminta banknya membuka L/C |
| Beneficiary | Eksportir, penerima pembayaran |
| Issuing bank | Bank penerbit L/C di negara importir |
| Advising bank | Bank di negara eksportir yang meneruskan L/C |
| Confirming bank | Bank yang menambahkan jaminan pembayaran (*confirmed L/C*) |
| Nominated bank | Bank yang ditunjuk untuk membayar atau menegosiasi dokumen |

## Alur singkat

1. Kontrak menyepakati pembayaran dengan L/C.
2. Importir mengajukan pembukaan L/C ke *issuing bank*.
3. L/C diteruskan kepada eksportir melalui *advising bank*.
4. Eksportir **memeriksa syarat L/C** dan meminta amendemen bila ada yang tidak bisa
   dipenuhi.
5. Eksportir mengirim barang dan menyiapkan dokumen.
6. Dokumen diserahkan ke bank sebelum L/C kedaluwarsa.
7. Bank memeriksa dokumen; bila sesuai (*complying presentation*), pembayaran dilakukan.

## Prinsip penting UCP 600

- **L/C bersifat irrevocable**, bahkan bila tidak disebutkan secara tegas.
- **Bank hanya memeriksa dokumen, bukan barang.** Kesesuaian dinilai dari dokumen.
- Bank memiliki waktu **maksimal lima hari kerja bank** setelah penyerahan untuk
  memeriksa dokumen.
- Bila L/C tidak menentukan lain, dokumen yang memuat B/L asli harus diserahkan paling
  lambat **21 hari kalender setelah tanggal pengapalan**, dan tidak melewati tanggal
  kedaluwarsa L/C.

## Discrepancy yang sering terjadi

- Tanggal pengapalan melewati *latest shipment date*;
- dokumen diserahkan terlambat atau L/C sudah kedaluwarsa;
- uraian barang di invoice berbeda dengan L/C;
- B/L tidak *clean* atau tidak *on board*;
- jumlah atau nilai melebihi toleransi;
- dokumen yang diminta tidak lengkap.

Bila terjadi discrepancy, bank dapat menolak membayar sampai applicant menyetujuinya —
artinya **kepastian pembayaran hilang**. Karena itu periksa syarat L/C dengan teliti sejak
awal.
"""

TT_DAN_INKASO = """\
# T/T dan documentary collection (D/P, D/A)

## Telegraphic Transfer (T/T)

T/T adalah transfer dana antarbank, umumnya melalui jaringan SWIFT. T/T bisa dilakukan
**di muka** (sebelum barang dikirim), **terhadap salinan dokumen**, atau **setelah barang
diterima** (open account).

Kelebihannya cepat dan murah. Kekurangannya, tidak ada bank yang menjamin: keamanan
sepenuhnya bergantung pada urutan pembayaran dan pengiriman yang disepakati.

**Waspadai penipuan e-mail** (*business e-mail compromise*): penipu sering mengirim e-mail
palsu yang "mengubah nomor rekening". Konfirmasikan setiap perubahan rekening melalui
saluran lain, misalnya telepon ke kontak yang sudah dikenal.

## Documentary collection (inkaso)

Pada inkaso, bank bertindak sebagai **perantara dokumen**, bukan penjamin pembayaran.
Aturan ICC yang umum dipakai adalah **URC 522** (*Uniform Rules for Collections*).

1. Eksportir mengirim barang dan menyerahkan dokumen ke banknya (*remitting bank*).
2. Dokumen diteruskan ke bank di negara pembeli (*collecting/presenting bank*).
3. Bank menyerahkan dokumen kepada pembeli:
   - **D/P**: setelah pembeli **membayar**;
   - **D/A**: setelah pembeli **mengaksep wesel berjangka**, misalnya 60 hari.
4. Dana diteruskan kepada eksportir.

## Risiko inkaso

- Pembeli bisa **menolak** menebus dokumen. Barang sudah tiba di pelabuhan tujuan, dan
  eksportir harus mencari pembeli lain, menanggung biaya penimbunan, atau mengapalkannya
  kembali.
- Pada **D/A**, barang sudah diambil pembeli sebelum pembayaran jatuh tempo, sehingga
  risikonya mendekati open account.

## Kapan memakai apa?

| Kondisi | Pilihan yang masuk akal |
|---|---|
| Pembeli baru, nilai besar | L/C (sebaiknya *confirmed* bila risiko negaranya tinggi) |
| Pembeli cukup dikenal, ingin biaya rendah | D/P atau T/T sebagian di muka |
| Pembeli lama dan terpercaya | D/A atau open account dengan asuransi kredit |
"""

QUIZ = [
    {
        "id": "q1",
        "prompt": "Berapa jumlah istilah dalam Incoterms® 2020?",
        "kind": "single",
        "options": [
            {"id": "a", "text": "9"},
            {"id": "b", "text": "11", "correct": True},
            {"id": "c", "text": "12"},
            {"id": "d", "text": "13"},
        ],
        "explanation": (
            "Incoterms 2020 memiliki 11 istilah: 7 untuk semua moda (EXW, FCA, CPT, CIP, DAP, "
            "DPU, DDP) dan 4 untuk angkutan laut/perairan darat (FAS, FOB, CFR, CIF)."
        ),
    },
    {
        "id": "q2",
        "prompt": "Istilah mana yang hanya untuk angkutan laut dan perairan darat?",
        "kind": "multiple",
        "options": [
            {"id": "a", "text": "FOB", "correct": True},
            {"id": "b", "text": "FCA"},
            {"id": "c", "text": "CIF", "correct": True},
            {"id": "d", "text": "FAS", "correct": True},
            {"id": "e", "text": "CPT"},
        ],
        "explanation": (
            "FAS, FOB, CFR, dan CIF khusus angkutan laut dan perairan darat. FCA dan CPT "
            "dapat dipakai untuk semua moda, termasuk kontainer dan angkutan udara."
        ),
    },
    {
        "id": "q3",
        "prompt": "Pada FOB, kapan risiko berpindah dari penjual ke pembeli?",
        "kind": "single",
        "options": [
            {"id": "a", "text": "Saat barang disediakan di gudang penjual"},
            {
                "id": "b",
                "text": "Saat barang berada di atas kapal di pelabuhan muat",
                "correct": True,
            },
            {"id": "c", "text": "Saat kapal tiba di pelabuhan tujuan"},
            {"id": "d", "text": "Saat barang dibongkar di gudang pembeli"},
        ],
        "explanation": (
            "Pada FOB, penjual menyerahkan barang dengan menempatkannya di atas kapal yang "
            "ditunjuk pembeli di pelabuhan muat; sejak itu risiko berpindah ke pembeli."
        ),
    },
    {
        "id": "q4",
        "prompt": "Pada CIP (Incoterms 2020), asuransi minimum yang wajib diatur penjual adalah…",
        "kind": "single",
        "options": [
            {"id": "a", "text": "Institute Cargo Clauses (C)"},
            {"id": "b", "text": "Institute Cargo Clauses (A)", "correct": True},
            {"id": "c", "text": "Tidak wajib asuransi"},
            {"id": "d", "text": "Institute Cargo Clauses (B)"},
        ],
        "explanation": (
            "Incoterms 2020 menaikkan cakupan minimum CIP menjadi ICC (A); CIF tetap ICC (C). "
            "Nilai pertanggungan minimal 110% dari nilai kontrak."
        ),
    },
    {
        "id": "q5",
        "prompt": "Pernyataan mana yang benar tentang L/C menurut UCP 600?",
        "kind": "multiple",
        "options": [
            {"id": "a", "text": "Bank memeriksa dokumen, bukan barang", "correct": True},
            {
                "id": "b",
                "text": "L/C bersifat irrevocable meskipun tidak disebutkan",
                "correct": True,
            },
            {
                "id": "c",
                "text": "Bank punya waktu maksimal lima hari kerja bank untuk memeriksa dokumen",
                "correct": True,
            },
            {"id": "d", "text": "Bank tetap wajib membayar meskipun dokumen tidak sesuai"},
        ],
        "explanation": (
            "UCP 600 menyatakan L/C irrevocable, bank hanya menilai dokumen, dan pemeriksaan "
            "paling lama lima hari kerja bank. Bila dokumen tidak sesuai (discrepancy), bank "
            "boleh menolak membayar."
        ),
    },
    {
        "id": "q6",
        "prompt": "Pada documentary collection D/P, dokumen diserahkan kepada pembeli setelah…",
        "kind": "single",
        "options": [
            {"id": "a", "text": "pembeli membayar", "correct": True},
            {"id": "b", "text": "pembeli mengaksep wesel berjangka"},
            {"id": "c", "text": "kapal berangkat dari pelabuhan muat"},
            {"id": "d", "text": "bank penerbit membuka L/C"},
        ],
        "explanation": (
            "D/P = documents against payment: dokumen (dan hak mengambil barang) baru "
            "diserahkan setelah pembayaran. Aksep wesel berjangka adalah ciri D/A."
        ),
    },
]

COURSE: dict[str, Any] = {
    "slug": "incoterms-2020-dan-pembayaran-internasional",
    "title": "Incoterms 2020 dan Pembayaran Internasional (L/C, T/T, D/P)",
    "summary": (
        "Pahami 11 istilah Incoterms® 2020, cara memilih yang tepat, serta kelebihan dan "
        "risiko T/T, L/C, D/P, D/A, dan open account."
    ),
    "description_md": (
        "Incoterms menentukan siapa menanggung biaya dan risiko; cara pembayaran menentukan "
        "seberapa pasti Anda dibayar. Kursus ini membahas keduanya secara praktis:\n\n"
        "- 11 istilah Incoterms® 2020 dan perubahannya dari versi 2010;\n"
        "- memilih FCA atau FOB, CIF atau CIP, dan kapan menghindari DDP;\n"
        "- spektrum risiko metode pembayaran;\n"
        "- Letter of Credit menurut UCP 600 dan discrepancy yang sering terjadi;\n"
        "- T/T serta inkaso D/P dan D/A menurut URC 522."
    ),
    "level": "intermediate",
    "language": "id",
    "tags": ["incoterms", "pembayaran", "letter of credit", "risiko"],
    "estimated_minutes": 90,
    "sections": [
        {
            "title": "Memahami Incoterms 2020",
            "lessons": [
                {
                    "title": "Mengenal Incoterms 2020",
                    "kind": "text",
                    "body_md": INCOTERMS_DASAR,
                    "duration_minutes": 12,
                },
                {
                    "title": "Memilih Incoterms yang tepat",
                    "kind": "text",
                    "body_md": MEMILIH_INCOTERMS,
                    "duration_minutes": 10,
                },
                {
                    "title": "Video: Incoterms 2020 secara ringkas",
                    "kind": "video",
                    "video_url": demo_video_url("incoterms-2020"),
                    "body_md": VIDEO_NOTES + "\n" + transcript_md("incoterms-2020"),
                    "duration_minutes": 3,
                },
            ],
        },
        {
            "title": "Metode Pembayaran Internasional",
            "lessons": [
                {
                    "title": "Metode pembayaran dan risikonya",
                    "kind": "text",
                    "body_md": METODE_PEMBAYARAN,
                    "duration_minutes": 8,
                },
                {
                    "title": "Letter of Credit (L/C)",
                    "kind": "text",
                    "body_md": LETTER_OF_CREDIT,
                    "duration_minutes": 12,
                },
                {
                    "title": "T/T dan documentary collection (D/P, D/A)",
                    "kind": "text",
                    "body_md": TT_DAN_INKASO,
                    "duration_minutes": 10,
                },
            ],
        },
        {
            "title": "Evaluasi",
            "lessons": [
                {
                    "title": "Kuis: Incoterms dan Pembayaran",
                    "kind": "quiz",
                    "questions": QUIZ,
                    "pass_mark": 70,
                    "max_attempts": 3,
                    "duration_minutes": 12,
                    "body_md": "Enam pertanyaan. Nilai lulus 70, maksimal 3 percobaan.",
                },
            ],
        },
    ],
}
