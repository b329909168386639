import { describe, expect, it } from "vitest";
import type { Form } from "../../src/commands/reply.ts";
import { decodeForm, encodeForm, fieldErrors, formModal, formValues, readMeta } from "../../src/platforms/slack/modal.ts";

const form: Form = {
  verb: "add",
  title: "A new customer with a very long title indeed",
  submitLabel: "Save",
  hidden: { customer: "#42" },
  fields: [
    { name: "_", label: "Name", kind: "text" },
    {
      name: "tier",
      label: "Tier",
      kind: "select",
      initial: "normal",
      options: [
        { label: "Key", value: "key" },
        { label: "Normal", value: "normal" },
      ],
    },
    { name: "owner", label: "Owner", kind: "member", optional: true, initial: "<@U0BOB|bob>" },
    { name: "birthday", label: "Birthday", kind: "text", optional: true, placeholder: "MM-DD" },
    { name: "notes", label: "Notes", kind: "multiline", optional: true },
  ],
};

describe("a form as a Slack modal", () => {
  it("builds one input per field, with the title cut to Slack's 24 characters", () => {
    const view = formModal(form, { verb: "add", locale: "en", channel: "C1" });
    expect(view.title.text).toHaveLength(24);
    expect(view.blocks.map((b) => b.block_id)).toEqual(["f:_", "f:tier", "f:owner", "f:birthday", "f:notes"]);
    const [name, tier, owner, , notes] = JSON.parse(JSON.stringify(view.blocks)) as {
      element: Record<string, unknown>;
      optional: boolean;
    }[];
    expect(name?.optional).toBe(false);
    expect(tier?.element.initial_option).toEqual({ text: { type: "plain_text", text: "Normal", emoji: true }, value: "normal" });
    expect(owner?.element).toMatchObject({ type: "users_select", initial_user: "U0BOB" });
    expect(notes?.element).toMatchObject({ type: "plain_text_input", multiline: true });
  });

  it("carries what the submission needs in private_metadata, dropping the response_url before going over 3,000 characters", () => {
    const hidden = { note: "x".repeat(2900) };
    const view = formModal(form, { verb: "add", locale: "zh", hidden, responseUrl: "https://hooks.slack.com/actions/T1/1/abc" });
    expect(view.private_metadata?.length).toBeLessThanOrEqual(3000);
    expect(readMeta(view.private_metadata ?? "")).toEqual({ verb: "add", locale: "zh", hidden });
    expect(readMeta("not json")).toBeUndefined();
    expect(readMeta(JSON.stringify({ verb: "add", locale: "fr" }))).toBeUndefined();
  });

  it("reads the submitted values by field name, a picked member as a mention", () => {
    expect(
      formValues({
        "f:_": { v: { type: "plain_text_input", value: "  Acme  " } },
        "f:tier": { v: { type: "static_select", selected_option: { text: { type: "plain_text", text: "Key" }, value: "key" } } },
        "f:owner": { v: { type: "users_select", selected_user: "U0BOB" } },
        "f:birthday": { v: { type: "plain_text_input", value: null } },
        other: { v: { type: "plain_text_input", value: "ignored" } },
      }),
    ).toEqual({ _: "Acme", tier: "key", owner: "<@U0BOB>" });
  });

  it("puts a refusal beside the field it names, else beside the first required text field", () => {
    const { blocks } = formModal(form, { verb: "add", locale: "en" });
    expect(fieldErrors({ blocks }, "⚠️ `birthday=13-45` is not valid: use month and day, like 03-14.")).toEqual({
      "f:birthday": "birthday=13-45 is not valid: use month and day, like 03-14.",
    });
    expect(fieldErrors({ blocks }, "⚠️ **Acme** is already a customer.")).toEqual({ "f:_": "Acme is already a customer." });
    expect(fieldErrors({ blocks: [] }, "anything")).toBeUndefined();
  });

  it("round-trips a form through a button value, and refuses anything else", () => {
    expect(decodeForm(encodeForm("zh", form))).toEqual({ locale: "zh", form });
    expect(decodeForm('{"l":"en","f":{"verb":1}}')).toBeUndefined();
    expect(decodeForm("en|show #1")).toBeUndefined();
  });
});
