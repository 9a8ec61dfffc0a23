import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAgent, createTeam, createTicket, setupAdmin } from "../../test/factories.ts";
import { createTestApp, type TestApp } from "../../test/harness.ts";

const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010806000000" +
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
  "hex",
);

function multipart(filename: string, contentType: string, content: Buffer) {
  const boundary = "----rapport-test-boundary";
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, content, tail]),
    headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
  };
}

describe("attachments", () => {
  let t: TestApp;
  let admin: Awaited<ReturnType<typeof setupAdmin>>;
  beforeAll(async () => {
    t = await createTestApp({ config: { attachmentMaxBytes: 64 * 1024 } });
    admin = await setupAdmin(t);
  });
  afterAll(() => t.close());

  const upload = async (
    api: typeof admin.api,
    ticketId: string,
    name: string,
    type: string,
    content: Buffer,
  ) => {
    const { payload, headers } = multipart(name, type, content);
    return api.call("POST", `/tickets/${ticketId}/attachments`, undefined, { payload, headers });
  };

  it("stores a file on disk, links it to a message, and serves it back only to those who see the ticket", async () => {
    const team = await createTeam(admin.api);
    const ticket = await createTicket(admin.api, { teamId: team.id });
    const up = await upload(admin.api, ticket.id, "ảnh chụp màn hình.png", "image/png", PNG);
    expect(up.status).toBe(201);
    expect(up.body).toMatchObject({
      filename: "ảnh chụp màn hình.png",
      contentType: "image/png",
      size: PNG.length,
    });
    const msg = await admin.api.post(`/tickets/${ticket.id}/messages`, {
      body: "See attached",
      attachmentIds: [up.body.id],
    });
    expect(msg.body.attachments).toEqual([
      expect.objectContaining({ id: up.body.id, url: `/api/v1/attachments/${up.body.id}` }),
    ]);

    const file = await admin.api.get(`/attachments/${up.body.id}`);
    expect(file.status).toBe(200);
    expect(Buffer.from(file.raw, "binary").length).toBeGreaterThan(0);
    expect(file.headers["x-content-type-options"]).toBe("nosniff");
    expect(String(file.headers["content-disposition"])).toContain("inline; filename*=UTF-8''");

    const outsider = await createAgent(t, admin.api, { teamIds: [(await createTeam(admin.api)).id] });
    expect((await outsider.api.get(`/attachments/${up.body.id}`)).status).toBe(404);

    const again = await admin.api.post(`/tickets/${ticket.id}/messages`, {
      body: "reuse",
      attachmentIds: [up.body.id],
    });
    expect(again.status).toBe(400);
  });

  it("refuses content that does not match its type, web pages, executables and empty files", async () => {
    const ticket = await createTicket(admin.api);
    const cases: Array<[string, string, Buffer, number]> = [
      ["photo.png", "image/png", Buffer.from("not really a png"), 415],
      ["page.html", "text/html", Buffer.from("<html><script>alert(1)</script></html>"), 415],
      ["notes.txt", "text/plain", Buffer.from("<!DOCTYPE html><html></html>"), 415],
      ["logo.svg", "image/svg+xml", Buffer.from("<svg onload='alert(1)'/>"), 415],
      ["setup.exe", "application/octet-stream", Buffer.from("MZ\x90\x00rest"), 415],
      ["tool.bin", "application/octet-stream", Buffer.from("MZ\x90\x00rest"), 415],
      ["empty.txt", "text/plain", Buffer.alloc(0), 400],
    ];
    for (const [name, type, content, status] of cases) {
      const res = await upload(admin.api, ticket.id, name, type, content);
      expect(res.status, name).toBe(status);
    }
    const rows = await t.database.query<{ n: number }>(
      "select count(*)::int as n from attachments where ticket_id = $1",
      [ticket.id],
    );
    expect(rows[0]?.n).toBe(0);
  });

  it("refuses files over the size limit with 413 and keeps nothing", async () => {
    const ticket = await createTicket(admin.api);
    const res = await upload(
      admin.api,
      ticket.id,
      "big.pdf",
      "application/pdf",
      Buffer.concat([Buffer.from("%PDF-1.7\n"), Buffer.alloc(100 * 1024, 65)]),
    );
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("payload_too_large");
    const rows = await t.database.query<{ n: number }>(
      "select count(*)::int as n from attachments where ticket_id = $1",
      [ticket.id],
    );
    expect(rows[0]?.n).toBe(0);
  });

  it("neutralizes path tricks in file names", async () => {
    const ticket = await createTicket(admin.api);
    const res = await upload(
      admin.api,
      ticket.id,
      "../../etc/passwd.txt",
      "text/plain",
      Buffer.from("hello"),
    );
    expect(res.status).toBe(201);
    expect(res.body.filename).toBe("passwd.txt");
  });

  it("needs multipart", async () => {
    const ticket = await createTicket(admin.api);
    const res = await admin.api.post(`/tickets/${ticket.id}/attachments`, { file: "x" });
    expect(res.status).toBe(415);
  });
});
