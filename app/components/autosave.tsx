import { useFetcher } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
import { useT } from "~/i18n/use-t";

/**
 * Autosaves a form as a draft a moment after the user stops typing: the whole form is posted to
 * the page's own action with intent=autosave. Publishing stays an explicit button.
 */
export function useAutosave(formRef: RefObject<HTMLFormElement | null>, delay = 1500) {
  const fetcher = useFetcher<{ ok: boolean; savedAt?: string; message?: string }>();
  const timer = useRef<ReturnType<typeof setTimeout>>();
  const [dirty, setDirty] = useState(false);
  const schedule = useCallback(() => {
    setDirty(true);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      const form = formRef.current;
      if (!form) return;
      const data = new FormData(form);
      data.set("intent", "autosave");
      fetcher.submit(data, { method: "post" });
      setDirty(false);
    }, delay);
  }, [delay, fetcher, formRef]);
  useEffect(() => () => clearTimeout(timer.current), []);
  return { schedule, fetcher, dirty };
}

export function AutosaveStatus({ fetcher, dirty }: { fetcher: ReturnType<typeof useAutosave>["fetcher"]; dirty: boolean }) {
  const t = useT();
  let text = "";
  if (fetcher.state !== "idle") text = t("edit.autosaving");
  else if (fetcher.data?.ok && fetcher.data.savedAt) text = t("edit.autosaved", { time: new Date(fetcher.data.savedAt).toLocaleTimeString() });
  else if (fetcher.data && !fetcher.data.ok) text = t("edit.autosaveFailed", { message: fetcher.data.message ?? "" });
  return (
    <p className="autosave-status muted small" role="status" aria-live="polite" data-dirty={dirty ? "true" : undefined}>
      {text}
    </p>
  );
}
