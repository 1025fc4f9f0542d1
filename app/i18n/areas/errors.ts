// Why a request was refused, as the error page and forms show it. A thrown refusal carries the key
// (app/utils/http.server.ts `refusal`), and the page renders it in the visitor's language.
export const zh = {
  "refused.default": "你没有权限执行这个操作。",
  "refused.studioMember": "只有本工作室的成员才能编辑它。",
  "refused.studioAdmin": "只有本工作室的管理员才能这样做。",
  "refused.coordinator": "只有工会协调员才能这样做。",
  "refused.siteAdmin": "只有站点管理员才能这样做。",
  "refused.projectProposer": "只有协调员和成员工作室的管理员才能提出联合项目。",
  "refused.projectParticipant": "只有参与工作室的成员才能更新这个项目。",
  "refused.invitedStudioAdmin": "只有受邀工作室的管理员才能代表它答复。",
  "refused.notInvited": "这个工作室没有受邀加入这个联盟。",
  "refused.invitationAnswered": "这份邀请已经答复过了。",
  "refused.versionNotRestorable": "这个版本无法恢复。",
  "refused.invalidInvitation": "这个邀请链接无效、已被使用或已过期。",
  "refused.unknownAction": "无法识别的操作。",
};

export const en: Record<keyof typeof zh, string> = {
  "refused.default": "You are not allowed to do this.",
  "refused.studioMember": "Only members of this studio can edit it.",
  "refused.studioAdmin": "Only the studio's admins can do this.",
  "refused.coordinator": "Only union coordinators can do this.",
  "refused.siteAdmin": "Only site admins can do this.",
  "refused.projectProposer": "Only coordinators and admins of member studios can propose joint projects.",
  "refused.projectParticipant": "Only members of participating studios can update this project.",
  "refused.invitedStudioAdmin": "Only the invited studio's admins can answer for it.",
  "refused.notInvited": "This studio has not been invited to this alliance.",
  "refused.invitationAnswered": "This invitation has already been answered.",
  "refused.versionNotRestorable": "That version cannot be restored.",
  "refused.invalidInvitation": "This invitation is invalid, used or expired.",
  "refused.unknownAction": "Unknown action.",
};
