/** The API guide's examples: curl, Python (httpx) and JavaScript (fetch) for each step. */

export type Language = "curl" | "python" | "js";

export interface GuideSection {
  id: "upgrade" | "analyzeFile" | "analyzeJson" | "poll" | "exports" | "charts";
  note?: "upgradeNote" | "pollNote";
  code: Record<Language, string>;
}

export function guideExamples(origin: string, key: string): GuideSection[] {
  const api = `${origin}/api/v1`;
  return [
    {
      id: "upgrade",
      note: "upgradeNote",
      code: {
        curl: `TOKEN=$(curl -s ${api}/auth/login -H 'Content-Type: application/json' \\
  -d '{"email":"anda@contoh.id","password":"…"}' | jq -r .access_token)
curl -s -X POST ${api}/developer/upgrade -H "Authorization: Bearer $TOKEN"
# the answer's api_key.key is your key: shown once, store it now`,
        python: `import httpx

API = "${api}"
token = httpx.post(f"{API}/auth/login", json={"email": "anda@contoh.id", "password": "…"}).json()["access_token"]
answer = httpx.post(f"{API}/developer/upgrade", headers={"Authorization": f"Bearer {token}"})
print(answer.json()["api_key"]["key"])  # shown once: store it now`,
        js: `const API = "${api}";
const login = await fetch(\`\${API}/auth/login\`, {
  method: "POST",
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify({ email: "anda@contoh.id", password: "…" }),
});
const { access_token } = await login.json();
const upgrade = await fetch(\`\${API}/developer/upgrade\`, {
  method: "POST",
  headers: { Authorization: \`Bearer \${access_token}\` },
});
console.log((await upgrade.json()).api_key.key); // shown once: store it now`,
      },
    },
    {
      id: "analyzeFile",
      code: {
        curl: `KEY="${key}"
curl -s -H "Authorization: ApiKey $KEY" -F file=@ekspor.csv \\
  "${api}/analytics/analyze?include_forecast=true&horizon=12&on_bad_rows=skip"`,
        python: `import httpx

KEY = "${key}"
with open("ekspor.csv", "rb") as f:
    answer = httpx.post(
        "${api}/analytics/analyze",
        params={"include_forecast": "true", "horizon": 12, "on_bad_rows": "skip"},
        headers={"Authorization": f"ApiKey {KEY}"},
        files={"file": ("ekspor.csv", f, "text/csv")},
        timeout=180,
    )
answer.raise_for_status()
analysis = answer.json()
print(analysis["id"], analysis["result"]["forecast"][0]["points"][:3])`,
        js: `const KEY = "${key}";
const form = new FormData();
form.append("file", fileInput.files[0]); // an <input type="file">
const answer = await fetch("${api}/analytics/analyze?include_forecast=true&horizon=12", {
  method: "POST",
  headers: { Authorization: \`ApiKey \${KEY}\` },
  body: form,
});
const analysis = await answer.json();
console.log(analysis.id, analysis.result.cross_category.shares);`,
      },
    },
    {
      id: "analyzeJson",
      code: {
        curl: `curl -s -H "X-API-Key: ${key}" -H 'Content-Type: application/json' \\
  -d '[{"tanggal":"2024-01","komoditas":"Kopi","nilai":1250.5},
       {"tanggal":"2024-02","komoditas":"Kopi","nilai":1310.0}]' \\
  "${api}/analytics/analyze?include_forecast=false"`,
        python: `rows = [
    {"tanggal": "2024-01", "komoditas": "Kopi", "nilai": 1250.5},
    {"tanggal": "2024-02", "komoditas": "Kopi", "nilai": 1310.0},
]
answer = httpx.post(
    "${api}/analytics/analyze",
    params={"include_forecast": "false"},
    headers={"X-API-Key": "${key}"},
    json=rows,
)
print(answer.json()["result"]["categories"][0]["trend"]["direction"])`,
        js: `const rows = [
  { tanggal: "2024-01", komoditas: "Kopi", nilai: 1250.5 },
  { tanggal: "2024-02", komoditas: "Kopi", nilai: 1310.0 },
];
const answer = await fetch("${api}/analytics/analyze?include_forecast=false", {
  method: "POST",
  headers: { "X-API-Key": "${key}", "Content-Type": "application/json" },
  body: JSON.stringify(rows),
});
console.log((await answer.json()).result.categories[0].trend.direction);`,
      },
    },
    {
      id: "poll",
      note: "pollNote",
      code: {
        curl: `STATUS_URL=$(curl -s -H "X-API-Key: ${key}" -F file=@besar.csv \\
  "${api}/analytics/analyze" | jq -r .status_url)
delay=1
while true; do
  STATUS=$(curl -s -H "X-API-Key: ${key}" "${origin}$STATUS_URL" | jq -r '.status + " " + (.progress|tostring)')
  echo "$STATUS"
  case "$STATUS" in succeeded*|failed*) break;; esac
  sleep $delay; delay=$(( delay < 8 ? delay * 2 : 8 ))
done`,
        python: `import time

with open("besar.csv", "rb") as f:
    job = httpx.post("${api}/analytics/analyze", headers={"X-API-Key": "${key}"},
                     files={"file": f}, timeout=300).json()
delay = 1.0
while True:
    status = httpx.get("${origin}" + job["status_url"], headers={"X-API-Key": "${key}"}).json()
    print(status["status"], status["progress"])
    if status["status"] in ("succeeded", "failed"):
        break
    time.sleep(delay)
    delay = min(delay * 2, 8)`,
        js: `const start = await fetch("${api}/analytics/analyze", {
  method: "POST", headers: { "X-API-Key": "${key}" }, body: form,
});
const job = await start.json(); // 202: { id, status, status_url }
let delay = 1000, status;
do {
  await new Promise((r) => setTimeout(r, delay));
  delay = Math.min(delay * 2, 8000);
  status = await (await fetch("${origin}" + job.status_url, { headers: { "X-API-Key": "${key}" } })).json();
  console.log(status.status, status.progress);
} while (status.status === "queued" || status.status === "running");`,
      },
    },
    {
      id: "exports",
      code: {
        curl: `curl -s -H "X-API-Key: ${key}" -o hasil.csv "${api}/analytics/analyses/$ID/export?format=csv"
curl -s -H "X-API-Key: ${key}" -o hasil.json "${api}/analytics/analyses/$ID/export?format=json"`,
        python: `answer = httpx.get(f"${api}/analytics/analyses/{analysis_id}/export",
                   params={"format": "csv"}, headers={"X-API-Key": "${key}"})
open("hasil.csv", "wb").write(answer.content)`,
        js: `const csv = await fetch(\`${api}/analytics/analyses/\${id}/export?format=csv\`, {
  headers: { "X-API-Key": "${key}" },
});
console.log(await csv.text());`,
      },
    },
    {
      id: "charts",
      code: {
        curl: `curl -s -H "X-API-Key: ${key}" -o tren.svg "${api}/analytics/analyses/$ID/charts/series.svg"
curl -s -H "X-API-Key: ${key}" -o ramalan.png "${api}/analytics/analyses/$ID/charts/forecast-kopi.png"`,
        python: `for name in ("series.svg", "forecast-kopi.png", "seasonality-kopi.svg", "shares.png"):
    answer = httpx.get(f"${api}/analytics/analyses/{analysis_id}/charts/{name}",
                       headers={"X-API-Key": "${key}"})
    open(name, "wb").write(answer.content)`,
        js: `const svg = await fetch(\`${api}/analytics/analyses/\${id}/charts/forecast-kopi.svg\`, {
  headers: { "X-API-Key": "${key}" },
});
document.body.insertAdjacentHTML("beforeend", await svg.text());`,
      },
    },
  ];
}
