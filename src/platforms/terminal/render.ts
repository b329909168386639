// Renders a reply as plain text for the terminal; buttons become the commands they would run.
import { type Action, type Block, type Form, plain, type Reply } from "../../commands/reply.ts";

export { plain };

export function renderText(reply: Reply, invocation = "customer"): string {
  const lines: string[] = [];
  for (const block of reply.blocks) lines.push(...renderBlock(block, invocation));
  if (reply.openForm) lines.push(...renderForm(reply.openForm, invocation));
  return lines.join("\n");
}

function renderBlock(block: Block, invocation: string): string[] {
  switch (block.type) {
    case "header":
      return [plain(block.text), "─".repeat(Math.min(40, Math.max(8, block.text.length * 2)))];
    case "text":
      return [plain(block.text)];
    case "context":
      return [`  ${plain(block.text)}`];
    case "divider":
      return [""];
    case "fields":
      return block.fields.map((f) => `  ${f.label}: ${plain(f.value)}`);
    case "actions":
      return block.actions.flatMap((a) => renderAction(a, invocation));
  }
}

function renderAction(action: Action, invocation: string): string[] {
  switch (action.kind) {
    case "command":
      return [`  [${action.label}] ${invocation} ${action.command}`];
    case "select":
      return [`  [${action.placeholder}]`, ...action.options.map((o) => `    ${o.label}: ${invocation} ${o.command}`)];
    case "form":
      return [`  [${action.label}] ${invocation} ${action.form.verb} ${formHint(action.form)}`];
    case "link":
      return [`  [${action.label}] ${action.url}`];
  }
}

function formHint(form: Form): string {
  const hidden = Object.values(form.hidden ?? {}).join(" ");
  const fields = form.fields.map((f) => (f.name === "_" ? `<${f.label}>` : `${f.name}=…`)).join(" ");
  return `${hidden} ${fields}`.trim();
}

function renderForm(form: Form, invocation: string): string[] {
  return [`  ${invocation} ${form.verb} ${formHint(form)}`];
}
