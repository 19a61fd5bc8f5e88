import { act, fireEvent, screen, waitFor } from "@testing-library/react";
import { useState } from "react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { renderUI } from "../../test/render";
import { KeyDialog, type NewKey } from "./KeyDialog";

const SECRET = "pe_live_5kQ2x9VbN7mL3pR8tW1yZ4cF6hJ0aD2sG8kE_1a2b3c4d";

function Harness({ initial }: { initial: NewKey | null }) {
  const [key, setKey] = useState<NewKey | null>(initial);
  return (
    <>
      <KeyDialog newKey={key} onClose={() => setKey(null)} />
      <p data-testid="after">{key ? "open" : "closed"}</p>
    </>
  );
}

describe("KeyDialog", () => {
  const writeText = vi.fn(async () => {});
  beforeEach(() => {
    Object.defineProperty(navigator, "clipboard", { configurable: true, value: { writeText } });
  });
  afterEach(() => writeText.mockReset());

  it("shows the key with both header forms and a plain warning", async () => {
    renderUI(<Harness initial={{ name: "Server produksi", key: SECRET }} />);
    expect(await screen.findByText("Kunci API baru: Server produksi")).toBeInTheDocument();
    expect(screen.getByText(SECRET)).toBeInTheDocument();
    expect(screen.getByText(`Authorization: ApiKey ${SECRET}`)).toBeInTheDocument();
    expect(screen.getByText(`X-API-Key: ${SECRET}`)).toBeInTheDocument();
    expect(screen.getByRole("alert")).toHaveTextContent(/hanya ditampilkan sekali/);
  });

  it("copies the key to the clipboard", async () => {
    renderUI(<Harness initial={{ name: "CI", key: SECRET }} />);
    fireEvent.click(await screen.findByRole("button", { name: "Salin kunci" }));
    await waitFor(() => expect(writeText).toHaveBeenCalledWith(SECRET));
    expect(await screen.findByRole("button", { name: "Tersalin" })).toBeInTheDocument();
    fireEvent.click(screen.getAllByRole("button", { name: "Salin header" })[0]!);
    await waitFor(() => expect(writeText).toHaveBeenLastCalledWith(`Authorization: ApiKey ${SECRET}`));
  });

  it("closes only after the user confirms storing it, and the secret is gone afterwards", async () => {
    renderUI(<Harness initial={{ name: "CI", key: SECRET }} />);
    const done = await screen.findByRole("button", { name: "Selesai" });
    expect(done).toBeDisabled();
    fireEvent.click(screen.getByLabelText("Saya sudah menyimpan kunci ini"));
    expect(done).toBeEnabled();
    await act(async () => {
      fireEvent.click(done);
    });
    await waitFor(() => expect(screen.getByTestId("after")).toHaveTextContent("closed"));
    await waitFor(() => expect(screen.queryByText(SECRET)).not.toBeInTheDocument());
    expect(document.body.innerHTML).not.toContain(SECRET);
  });
});
