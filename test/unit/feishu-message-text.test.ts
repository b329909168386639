import { describe, expect, it } from "vitest";
import { commandText } from "../../src/platforms/feishu/message-text.ts";

const bot = { key: "@_user_1", id: { open_id: "ou_bot" }, name: "CRM" };
const message = (text: string, o: { chatType?: string; mentions?: (typeof bot)[]; type?: string; content?: string } = {}) => ({
  message_id: "om_1",
  chat_id: "oc_1",
  chat_type: o.chatType ?? "group",
  message_type: o.type ?? "text",
  content: o.content ?? JSON.stringify({ text }),
  mentions: o.mentions ?? [bot],
});

describe("a chat message as command text", () => {
  it("drops the bot's mention and turns colleagues' into member mentions", () => {
    const text = commandText(
      message("@_user_1 团队 @_user_2 经理=@_user_3", {
        mentions: [
          bot,
          { key: "@_user_2", id: { open_id: "ou_wang" }, name: "小王" },
          { key: "@_user_3", id: { open_id: "ou_li" }, name: "李|经理" },
        ],
      }),
      "ou_bot",
    );
    expect(text).toBe("团队 <@ou_wang|小王> 经理=<@ou_li|李经理>");
  });

  it("keeps @_user_1 and @_user_10 apart", () => {
    const mentions = Array.from({ length: 10 }, (_, i) => ({
      key: `@_user_${i + 1}`,
      id: { open_id: i === 0 ? "ou_bot" : `ou_${i + 1}` },
      name: `n${i + 1}`,
    }));
    expect(commandText(message("@_user_1 x @_user_10", { mentions }), "ou_bot")).toBe("x <@ou_10|n10>");
  });

  it("ignores a group message that does not mention the bot", () => {
    expect(
      commandText(message("@_user_1 添加 A", { mentions: [{ key: "@_user_1", id: { open_id: "ou_x" }, name: "x" }] }), "ou_bot"),
    ).toBeNull();
  });

  it("takes a direct message without any mention", () => {
    expect(commandText(message("  添加 北京科技 ", { chatType: "p2p", mentions: [] }), "ou_bot")).toBe("添加 北京科技");
  });

  it("drops @all", () => {
    expect(commandText(message("@_user_1 @_all 帮助"), "ou_bot")).toBe("帮助");
  });

  it("reads a rich-text (post) message, mentions included", () => {
    const content = JSON.stringify({
      zh_cn: {
        title: "",
        content: [
          [
            { tag: "at", user_id: "ou_bot", user_name: "CRM" },
            { tag: "text", text: " 记录 北京科技 拜访" },
          ],
          [{ tag: "text", text: "第二行" }],
        ],
      },
    });
    expect(commandText(message("", { type: "post", content }), "ou_bot")).toBe("记录 北京科技 拜访\n第二行");
  });

  it("ignores pictures, files and stickers", () => {
    expect(commandText(message("", { type: "image", content: '{"image_key":"img_1"}', chatType: "p2p" }), "ou_bot")).toBeNull();
  });

  it("takes a leading mention as the bot's when the bot's own id is not known yet", () => {
    expect(commandText(message("@_user_1 帮助"), undefined)).toBe("帮助");
  });
});
