"""A small bundled list of passwords attackers try first (lower-cased).

Short ones are already refused by the length rule; they stay here so a later change of the
minimum length cannot let them through. Indonesian favourites are included on purpose.
"""

COMMON_PASSWORDS: frozenset[str] = frozenset(
    """
123456 123456789 12345678 1234567890 12345678910 0123456789 1234567891 0987654321
1111111111 0000000000 1122334455 1234512345 9876543210 11223344556677 123123123123
password password1 password12 password123 password1234 passw0rd123 p@ssw0rd123
password!! passwordpassword 1q2w3e4r5t 1qaz2wsx3edc qwertyuiop qwerty123456 qwertyuiop123
qwerty12345 asdfghjkl asdfghjkl123 zxcvbnm123 zxcvbnmasdf 1q2w3e4r5t6y qazwsxedcrfv
abcdefghij abc1234567 abcd123456 abcdef123456 aaaaaaaaaa iloveyou123 iloveyou12
letmein123 letmein1234 welcome123 welcome1234 welcome2024 welcome2025 welcome2026
admin12345 admin123456 administrator administrator1 superman123 batman12345 dragon12345
football123 baseball123 monkey12345 sunshine123 princess123 starwars123 trustno1234
changeme123 changemenow secret1234 secretpassword master12345 whatever123 computer123
internet123 michael123 jennifer123 samsung123 google12345 facebook123 liverpool123
indonesia indonesia1 indonesia123 indonesia2024 indonesia2025 indonesia2026
jakarta123 jakarta2024 bandung123 surabaya123 merdeka123 merdeka1945 garuda1945
pancasila123 bismillah bismillah123 alhamdulillah sayangku123 sayang12345 cintaku123
rahasia123 rahasia1234 rahasiaku123 katasandi123 katasandi rahasiabanget
pintarekspor pintarekspor1 pintarekspor123 ekspor12345 eksporindonesia
""".split()  # noqa: SIM905 - a word list reads better as text
)
