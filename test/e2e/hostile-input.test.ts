import { request } from "node:http";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSurvey } from "../../src/domain/surveys.ts";
import { encrypt, signedHeaders } from "../fakes/feishu-events.ts";
import { slackSignature } from "../fakes/slack-api.ts";
import { BotHarness, SECRETS } from "./bot-harness.ts";

let h: BotHarness;
beforeAll(async () => {
  h = await BotHarness.start({ logLevel: "silent" });
});
afterAll(() => h.stop());

/** Every row in every table, counted: what an unsigned request must leave as it was. */
async function rows() {
  const p = h.prisma;
  const counts = await Promise.all([
    p.workspace.count(),
    p.member.count(),
    p.customer.count(),
    p.interaction.count(),
    p.opportunity.count(),
    p.nudge.count(),
    p.survey.count({ where: { respondedAt: { not: null } } }),
    p.feedback.count(),
    p.auditEvent.count(),
    p.delivery.count(),
  ]);
  return counts.join(",");
}

async function post(path: string, body: Uint8Array | string, headers: Record<string, string>, method = "POST") {
  const response = await fetch(`${h.url}${path}`, { method, headers, ...(method === "GET" ? {} : { body }) });
  await response.arrayBuffer();
  return response.status;
}

const printable = (max: number) => fc.string({ maxLength: max }).map((s) => s.replace(/[^\x20-\x7e]/g, "").trim());
const headerName = fc.oneof(
  fc.constantFrom(
    "content-type",
    "x-slack-signature",
    "x-slack-request-timestamp",
    "x-slack-retry-num",
    "x-slack-retry-reason",
    "x-lark-signature",
    "x-lark-request-timestamp",
    "x-lark-request-nonce",
    "content-encoding",
    "accept-language",
    "x-request-id",
  ),
  fc.stringMatching(/^x-[a-z][a-z0-9-]{0,15}$/),
);
const contentType = fc.constantFrom(
  "application/x-www-form-urlencoded",
  "application/json",
  "application/json; charset=utf-8",
  "multipart/form-data; boundary=x",
  "text/plain",
  "",
);
const headers = fc
  .tuple(contentType, fc.dictionary(headerName, printable(80), { maxKeys: 6 }), fc.integer({ min: -700, max: 700 }))
  .map(([type, rest, skew]) => ({
    ...(type ? { "content-type": type } : {}),
    // Often a fresh timestamp, so that requests get as far as the signature check.
    "x-slack-request-timestamp": String(Math.floor(Date.now() / 1000) + skew),
    "x-lark-request-timestamp": String(Math.floor(Date.now() / 1000) + skew),
    ...rest,
  }));
const slackish = fc.oneof(
  fc.dictionary(
    fc.constantFrom("command", "text", "team_id", "user_id", "trigger_id", "response_url", "type", "ssl_check"),
    printable(40),
  ),
  fc.record({ payload: fc.json() }),
);
const body = fc.oneof(
  fc.string({ maxLength: 400 }),
  fc.json(),
  fc.uint8Array({ maxLength: 400 }),
  slackish.map((fields) => new URLSearchParams(fields).toString()),
  fc.json().map((inner) => JSON.stringify({ encrypt: Buffer.from(inner).toString("base64") })),
);

const runs = { numRuns: 60 };

describe("whatever arrives at POST /slack/events unsigned or forged", () => {
  it("is refused without a 500, and writes nothing", async () => {
    const before = await rows();
    await fc.assert(
      fc.asyncProperty(body, headers, async (b, hd) => {
        const status = await post("/slack/events", b, hd);
        expect([400, 401, 404, 413]).toContain(status);
      }),
      runs,
    );
    expect(await rows()).toBe(before);
  });

  it("a correctly signed body that is no object (JSON null, a form whose payload is 1) gets 400", async () => {
    for (const [raw, type] of [
      ["null", "application/json"],
      ["payload=1", "application/x-www-form-urlencoded"],
      ["payload=null", "application/x-www-form-urlencoded"],
      // The field's name escaped, or after others: Bolt's parser decodes it to payload all the same.
      ["%70ayload=1", "application/x-www-form-urlencoded"],
      ["command=%2Fcustomer&pay%6Coad=2", "application/x-www-form-urlencoded"],
      ["text=log&payload=%22x%22", "application/x-www-form-urlencoded"],
      // With a charset Bolt reads the body as JSON, whatever it looks like.
      ["null", "application/x-www-form-urlencoded; charset=utf-8"],
      ["command=%2Fcustomer&text=log", "application/x-www-form-urlencoded; charset=utf-8"],
    ] as const) {
      const timestamp = Math.floor(Date.now() / 1000);
      const status = await post("/slack/events", raw, {
        "content-type": type,
        "x-slack-request-timestamp": String(timestamp),
        "x-slack-signature": slackSignature(SECRETS.slackSigningSecret, timestamp, raw),
      });
      expect(status).toBe(400);
    }
  });

  it("correctly signed but meaningless bodies are answered without a 500", async () => {
    // Bolt waits 3 s before answering a signed request no listener takes, so these go in batches.
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(body, contentType), { minLength: 4, maxLength: 8 }), async (batch) => {
        const statuses = await Promise.all(
          batch.map(([b, type]) => {
            const raw = typeof b === "string" ? b : Buffer.from(b).toString("latin1");
            const timestamp = Math.floor(Date.now() / 1000);
            return post("/slack/events", raw, {
              ...(type ? { "content-type": type } : {}),
              "x-slack-request-timestamp": String(timestamp),
              "x-slack-signature": slackSignature(SECRETS.slackSigningSecret, timestamp, raw),
            });
          }),
        );
        for (const status of statuses) expect(status).toBeLessThan(500);
      }),
      { numRuns: 4 },
    );
  });
});

describe("whatever arrives at POST /feishu/events unsigned or forged", () => {
  it("is refused without a 500, and writes nothing", async () => {
    const before = await rows();
    await fc.assert(
      fc.asyncProperty(body, headers, async (b, hd) => {
        const status = await post("/feishu/events", b, hd);
        expect([400, 401, 413]).toContain(status);
      }),
      runs,
    );
    expect(await rows()).toBe(before);
  });

  it("correctly encrypted and signed events of any shape are acknowledged and dropped without harm", async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.boolean(), async (inner, withHeader) => {
        const payload = withHeader
          ? {
              schema: "2.0",
              header: { event_type: "im.message.receive_v1", token: SECRETS.feishuVerificationToken },
              event: inner,
            }
          : inner;
        const raw = JSON.stringify(encrypt(payload, SECRETS.feishuEncryptKey));
        const signed = signedHeaders(raw, SECRETS.feishuEncryptKey, Math.floor(h.clock.now().getTime() / 1000));
        const status = await post("/feishu/events", raw, { "content-type": "application/json", ...signed });
        expect(status).toBeLessThan(500);
      }),
      { numRuns: 40 },
    );
    const health = await fetch(`${h.url}/healthz`);
    expect(health.status).toBe(200);
  });
});

describe("the survey page, GET and POST /s/:token", () => {
  const token = fc.oneof(
    fc.string({ minLength: 1, maxLength: 60 }).map((s) => encodeURIComponent(s)),
    fc.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    fc.constantFrom("%", "%E0%A4%A", "..", "%2F", "a%00b"),
  );

  it("answers any token and any answer without a 500, and an unknown token writes nothing", async () => {
    const before = await rows();
    await fc.assert(
      fc.asyncProperty(token, body, headers, fc.boolean(), async (t, b, hd, get) => {
        const status = await post(`/s/${t}`, b, hd, get ? "GET" : "POST");
        expect(status).toBeLessThan(500);
      }),
      runs,
    );
    expect(await rows()).toBe(before);
  });

  it("takes one answer on an open survey, whatever else is posted to it", async () => {
    const rep = h.person();
    await h.ask(rep, "add Fuzz Co");
    const customer = await h.prisma.customer.findFirstOrThrow({ where: { name: "Fuzz Co" }, include: { workspace: true } });
    const workspace = customer.workspace;
    const issued = await createSurvey(h.server.core.deps, workspace, customer, { locale: "en" });
    const answer = fc.record(
      {
        csat: fc.oneof(fc.integer({ min: -2, max: 7 }).map(String), printable(4)),
        nps: fc.oneof(fc.integer({ min: -2, max: 12 }).map(String), printable(4)),
        comment: printable(60),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(
        answer,
        fc.constantFrom("application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=z"),
        async (fields, type) => {
          const status = await post(`/s/${issued.token}`, new URLSearchParams(fields).toString(), { "content-type": type });
          expect([200, 400, 409]).toContain(status);
        },
      ),
      runs,
    );
    expect(await h.prisma.survey.count({ where: { id: issued.survey.id, respondedAt: { not: null } } })).toBeLessThanOrEqual(1);
  });
});

/**
 * Sends a request that says (or turns out) to be larger than `limit`, and never finishes sending
 * it: an answer can only come from a server that stopped reading early.
 */
function oversized(path: string, declared: boolean, limit: number): Promise<{ status: number; closed: boolean }> {
  const total = limit * 16;
  const chunk = Buffer.alloc(64 * 1024, "a");
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = request(`${h.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(declared ? { "content-length": String(total) } : {}) },
    });
    req.on("response", (res) => {
      answered = true;
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, closed: res.headers.connection === "close" }));
    });
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    const pump = () => {
      while (!answered && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once("drain", pump);
          return;
        }
      }
    };
    pump();
  });
}

describe("oversized bodies", () => {
  // Each endpoint's own limit: a megabyte for the webhooks, 16 KB for a survey answer.
  const limits: [string, number][] = [
    ["/slack/events", 1_000_000],
    ["/feishu/events", 1_000_000],
    ["/s/any-token", 16 * 1024],
  ];

  it.each(limits)("to %s are refused with 413 by their Content-Length, and the connection closed", async (path, limit) => {
    expect(await oversized(path, true, limit)).toEqual({ status: 413, closed: true });
  });

  it.each(limits)(
    "to %s sent without a length are refused with 413 once past the limit, not read to the end",
    async (path, limit) => {
      expect(await oversized(path, false, limit)).toEqual({ status: 413, closed: true });
    },
  );
});
