"""The demo courses' short videos: slides (rendered by `scripts/make_demo_videos.py` into
`courses/demo_media/<name>.webm`) and their transcript, which is exactly the slides' text.

The videos are silent slide shows, so the transcript shown under the player says everything
the video says; a learner who cannot watch loses nothing.
"""

from __future__ import annotations

from typing import TypedDict


class Slide(TypedDict):
    heading: str
    text: str


class DemoVideo(TypedDict):
    title: str
    slides: list[Slide]


DEMO_VIDEOS: dict[str, DemoVideo] = {
    "alur-ekspor": {
        "title": "Gambaran singkat proses ekspor",
        "slides": [
            {
                "heading": "Dari pesanan sampai pembayaran",
                "text": "Ekspor berjalan dalam lima tahap: kontrak, persiapan barang, "
                "dokumen dan kepabeanan, pengapalan, lalu pembayaran.",
            },
            {
                "heading": "1. Kontrak penjualan",
                "text": "Kontrak menetapkan barang, harga, Incoterms dan cara pembayaran. "
                "Keduanya menentukan dokumen yang harus Anda siapkan.",
            },
            {
                "heading": "2. Persiapan barang",
                "text": "Produksi, pengemasan dan penandaan sesuai permintaan pembeli dan "
                "aturan negara tujuan.",
            },
            {
                "heading": "3. Dokumen dan kepabeanan",
                "text": "Pemberitahuan Ekspor Barang (PEB) diajukan secara elektronik melalui "
                "CEISA sebelum barang masuk kawasan pabean pelabuhan.",
            },
            {
                "heading": "4. Pengapalan",
                "text": "Barang dimuat ke kapal; pengangkut menerbitkan Bill of Lading sebagai "
                "tanda terima dan bukti kepemilikan barang.",
            },
            {
                "heading": "5. Pembayaran",
                "text": "Pembayaran sering bergantung pada kelengkapan dan kesesuaian dokumen. "
                "Periksa setiap dokumen sebelum dikirim ke bank atau pembeli.",
            },
        ],
    },
    "bill-of-lading": {
        "title": "Cara membaca Bill of Lading",
        "slides": [
            {
                "heading": "Apa itu Bill of Lading?",
                "text": "Dokumen dari pengangkut laut: tanda terima barang, bukti kontrak "
                "pengangkutan, dan (bila negotiable) dokumen kepemilikan.",
            },
            {
                "heading": "Shipper, consignee, notify party",
                "text": "Shipper adalah pengirim; consignee penerima atau 'to order' bank; "
                "notify party diberi kabar saat kapal tiba.",
            },
            {
                "heading": "Kapal, pelabuhan, tanggal",
                "text": "Periksa nama kapal dan nomor pelayaran, pelabuhan muat dan bongkar, "
                "serta tanggal on board: harus sesuai L/C atau kontrak.",
            },
            {
                "heading": "Uraian barang",
                "text": "Jumlah kemasan, berat, merek dan uraian barang harus sama dengan "
                "invoice dan packing list.",
            },
            {
                "heading": "Clean on board",
                "text": "B/L bersih tidak memuat catatan kerusakan. Catatan seperti "
                "'packaging torn' dapat membuat bank menolak dokumen.",
            },
        ],
    },
    "incoterms-2020": {
        "title": "Incoterms 2020 dalam sepuluh menit",
        "slides": [
            {
                "heading": "Sebelas aturan, dua kelompok",
                "text": "Tujuh aturan untuk semua moda (EXW, FCA, CPT, CIP, DAP, DPU, DDP) dan "
                "empat khusus laut (FAS, FOB, CFR, CIF).",
            },
            {
                "heading": "Yang diatur Incoterms",
                "text": "Siapa mengatur pengangkutan, siapa membayar biaya, kapan risiko "
                "berpindah, dan siapa mengurus formalitas ekspor-impor.",
            },
            {
                "heading": "FOB dan CIF",
                "text": "FOB: risiko pindah saat barang di atas kapal di pelabuhan muat. "
                "CIF: penjual membayar ongkos angkut dan asuransi, risiko tetap pindah "
                "di pelabuhan muat.",
            },
            {
                "heading": "FCA untuk kontainer",
                "text": "Untuk barang dalam kontainer, FCA lebih tepat daripada FOB karena "
                "penyerahan terjadi di terminal, bukan di atas kapal.",
            },
            {
                "heading": "Tulis lengkap",
                "text": "Sebut aturan, tempat dan versinya, misalnya: FOB Tanjung Perak "
                "Surabaya Incoterms 2020.",
            },
        ],
    },
    "hs-code-insw": {
        "title": "Mencari HS code di portal INSW",
        "slides": [
            {
                "heading": "Mengapa HS code penting",
                "text": "HS code menentukan tarif bea masuk di negara tujuan, larangan dan "
                "pembatasan, serta data statistik ekspor.",
            },
            {
                "heading": "Buka portal INSW",
                "text": "Di insw.go.id pilih menu referensi tarif (BTKI), lalu cari dengan "
                "kata kunci atau nomor pos tarif.",
            },
            {
                "heading": "Baca dari bab ke pos",
                "text": "Dua digit pertama bab, empat digit pos, enam digit subpos "
                "internasional; Indonesia memakai delapan digit.",
            },
            {
                "heading": "Periksa ketentuan",
                "text": "Lihat kolom lartas: apakah ekspor barang itu memerlukan izin, "
                "laporan surveyor, atau dikenai bea keluar.",
            },
            {
                "heading": "Simpan sumbernya",
                "text": "Catat HS code delapan digit beserta uraiannya dan pakai yang sama di "
                "invoice, PEB dan sertifikat asal barang.",
            },
        ],
    },
}


def transcript_md(name: str) -> str:
    """The video's transcript in Markdown: every slide's heading and text, in order."""
    video = DEMO_VIDEOS[name]
    parts = [f"**{slide['heading']}.** {slide['text']}" for slide in video["slides"]]
    return "## Transkrip video\n\n" + "\n\n".join(parts) + "\n"


def demo_video_url(name: str) -> str:
    return f"/media/demo-{name}.webm"
