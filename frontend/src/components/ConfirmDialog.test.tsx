import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen } from "@solidjs/testing-library";
import { ConfirmDialog } from "./ConfirmDialog.js";

describe("ConfirmDialog", () => {
  afterEach(cleanup);

  it("starts on Cancel, keeps Tab inside the dialog, and says no on Escape", () => {
    let cancelled = 0;
    render(() => (
      <>
        <button type="button">Behind the dialog</button>
        <ConfirmDialog
          title="Delete this idea?"
          confirmLabel="Delete"
          onConfirm={() => {}}
          onCancel={() => cancelled++}
        >
          <p>It cannot be undone.</p>
        </ConfirmDialog>
      </>
    ));
    const confirm = screen.getByRole("button", { name: "Delete" });
    const cancel = screen.getByRole("button", { name: "Cancel" });
    // A habitual Space or Enter says no, not yes.
    expect(document.activeElement).toBe(cancel);
    // From the first button, Shift+Tab goes round to the last, not to the page behind; and back.
    fireEvent.keyDown(document, { key: "Tab", shiftKey: true });
    expect(document.activeElement).toBe(confirm);
    fireEvent.keyDown(document, { key: "Tab" });
    expect(document.activeElement).toBe(cancel);
    fireEvent.keyDown(document, { key: "Escape" });
    expect(cancelled).toBe(1);
  });
});
