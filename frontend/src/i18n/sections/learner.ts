/** Learner strings: completion, certificates, unenrolment (Indonesian first). */
export const learnerId = {
  completion: {
    title: "Kursus selesai!",
    body: "Selamat, Anda menyelesaikan kursus ini pada {{date}}.",
    certificate: "Lihat sertifikat",
    review: "Tinjau materi",
  },
  unenroll: {
    title: "Batalkan pendaftaran?",
    body: "Kursus “{{title}}” akan hilang dari Belajar Saya. Progres Anda tetap disimpan: jika mendaftar lagi, Anda melanjutkan dari tempat terakhir.",
    confirm: "Ya, batalkan pendaftaran",
    cancel: "Tetap terdaftar",
  },
  myLearning: {
    tabs: "Status kursus",
    inProgress: "Sedang dipelajari",
    completed: "Selesai",
    completedOn: "Selesai pada {{date}}",
    emptyCompleted: "Belum ada kursus yang selesai. Terus belajar!",
    certificate: "Sertifikat",
  },
  certificate: {
    pageTitle: "Sertifikat {{code}}",
    heading: "Sertifikat Penyelesaian",
    awardedTo: "Diberikan kepada",
    course: "Kursus",
    completedOn: "Selesai pada",
    issuedOn: "Diterbitkan pada",
    lessons: "Pelajaran diselesaikan",
    code: "Kode verifikasi",
    hash: "Sidik bukti (SHA-256)",
    status: {
      valid: "Sertifikat asli dan berlaku",
      revoked: "Sertifikat ini telah dicabut",
      tampered: "Data sertifikat ini tidak cocok dengan tanda tangannya: jangan dipercaya",
    },
    revokedReason: "Alasan pencabutan: {{reason}}",
    downloadId: "Unduh PDF (Indonesia)",
    downloadEn: "Unduh PDF (English)",
    copyLink: "Salin tautan",
    copied: "Tautan disalin",
    notFound: "Tidak ada sertifikat dengan kode ini. Periksa kembali kodenya.",
    explain:
      "Halaman ini dapat dibuka siapa saja yang memegang kodenya, untuk memeriksa keaslian sertifikat.",
  },
};

export const learnerEn: typeof learnerId = {
  completion: {
    title: "Course completed!",
    body: "Congratulations, you completed this course on {{date}}.",
    certificate: "View certificate",
    review: "Review the material",
  },
  unenroll: {
    title: "Leave this course?",
    body: "“{{title}}” will disappear from My learning. Your progress is kept: if you enrol again, you continue where you left off.",
    confirm: "Yes, leave the course",
    cancel: "Stay enrolled",
  },
  myLearning: {
    tabs: "Course status",
    inProgress: "In progress",
    completed: "Completed",
    completedOn: "Completed on {{date}}",
    emptyCompleted: "No completed courses yet. Keep learning!",
    certificate: "Certificate",
  },
  certificate: {
    pageTitle: "Certificate {{code}}",
    heading: "Certificate of Completion",
    awardedTo: "Awarded to",
    course: "Course",
    completedOn: "Completed on",
    issuedOn: "Issued on",
    lessons: "Lessons completed",
    code: "Verification code",
    hash: "Evidence fingerprint (SHA-256)",
    status: {
      valid: "Genuine and valid certificate",
      revoked: "This certificate has been revoked",
      tampered: "This certificate's data does not match its signature: do not trust it",
    },
    revokedReason: "Reason for revocation: {{reason}}",
    downloadId: "Download PDF (Indonesian)",
    downloadEn: "Download PDF (English)",
    copyLink: "Copy link",
    copied: "Link copied",
    notFound: "There is no certificate with this code. Please check the code.",
    explain:
      "Anyone who holds the code can open this page to check that the certificate is genuine.",
  },
};
