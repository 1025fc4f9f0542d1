// The pager of the directory lists (studios, results, patents, needs, enterprises, people).
export const zh = {
  "pager.nav": "分页",
  "pager.prev": "上一页",
  "pager.next": "下一页",
  "pager.page": "第 {n} 页",
};

export const en: Record<keyof typeof zh, string> = {
  "pager.nav": "Pages",
  "pager.prev": "Previous",
  "pager.next": "Next",
  "pager.page": "Page {n}",
};
