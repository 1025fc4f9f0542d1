// The search page's notes on partial answers.
export const zh = {
  "search.partial": "以下结果只包含部分关键词",
  "search.partialMissing": "没有找到：{words}",
  "search.partialAfterFull": "排在后面的结果只包含部分关键词",
  "search.hitMissing": "不含：{words}",
};
export const en: Record<keyof typeof zh, string> = {
  "search.partial": "These results contain only some of your words",
  "search.partialMissing": "not found: {words}",
  "search.partialAfterFull": "The results further down contain only some of your words",
  "search.hitMissing": "Missing: {words}",
};
