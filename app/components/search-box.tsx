import { Form, useLocation, useNavigate, useSearchParams } from "@remix-run/react";
import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import type { MessageKey } from "~/i18n/messages";
import { useT } from "~/i18n/use-t";

interface Suggestion {
  type: string;
  title: string;
  url: string;
}

/**
 * The header search box: a plain GET form to /search that works without JavaScript; with it, a
 * combobox that suggests titles as you type (WAI-ARIA combobox with a listbox popup). Keys are
 * ignored while an input method is composing, so Chinese candidates are never cut short.
 */
export function SearchBox() {
  const t = useT();
  const [params] = useSearchParams();
  // the box shows the query of the search page only: other pages' ?q= (the admin's user search) is theirs
  const onSearchPage = useLocation().pathname === "/search";
  const query = onSearchPage ? (params.get("q") ?? "") : "";
  const navigate = useNavigate();
  const id = useId();
  const listId = `${id}-list`;
  const [value, setValue] = useState(query);
  const [items, setItems] = useState<Suggestion[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const composing = useRef(false);
  const request = useRef(0);
  const input = useRef<HTMLInputElement>(null);
  const hydrated = useRef(false);

  // The box is a plain input until the page's script arrives, so a quick user may already have
  // typed into it. On the first run keep what the input holds (React would otherwise put the
  // server's empty value back on its next render); afterwards follow the address's q.
  useEffect(() => {
    if (!hydrated.current) {
      hydrated.current = true;
      const typed = input.current?.value ?? "";
      if (typed !== value) {
        setValue(typed);
        // still typing: show the suggestions for it
        if (typed && document.activeElement === input.current) setOpen(true);
      }
      return;
    }
    setValue(query);
  }, [query]);

  useEffect(() => {
    const q = value.trim();
    if (!q || composing.current) {
      setItems([]);
      return;
    }
    const n = ++request.current;
    const timer = setTimeout(async () => {
      try {
        const res = await fetch(`/api/suggest?q=${encodeURIComponent(q)}`, { headers: { Accept: "application/json" } });
        if (!res.ok || n !== request.current) return;
        const body = (await res.json()) as { suggestions: Suggestion[] };
        setItems(body.suggestions);
        setActive(-1);
      } catch {
        // suggestions are a convenience: the form still searches
      }
    }, 120);
    return () => clearTimeout(timer);
  }, [value]);

  const expanded = open && items.length > 0;
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing || composing.current) return;
    if (e.key === "ArrowDown" && items.length) {
      e.preventDefault();
      setOpen(true);
      setActive((a) => (a + 1) % items.length);
    } else if (e.key === "ArrowUp" && items.length) {
      e.preventDefault();
      setOpen(true);
      setActive((a) => (a <= 0 ? items.length - 1 : a - 1));
    } else if (e.key === "Escape") {
      setOpen(false);
      setActive(-1);
    } else if (e.key === "Enter" && expanded && active >= 0) {
      e.preventDefault();
      setOpen(false);
      navigate(items[active].url);
    }
  };

  return (
    <Form method="get" action="/search" role="search" className="search-box" aria-label={t("search.label")} onSubmit={() => setOpen(false)}>
      <label htmlFor={`${id}-q`} className="visually-hidden">
        {t("search.label")}
      </label>
      <div className="combo">
        <input
          ref={input}
          id={`${id}-q`}
          type="search"
          name="q"
          value={value}
          maxLength={200}
          autoComplete="off"
          placeholder={t("search.placeholder")}
          role="combobox"
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
          onChange={(e) => {
            setValue(e.target.value);
            setOpen(true);
          }}
          onCompositionStart={() => (composing.current = true)}
          onCompositionEnd={(e) => {
            composing.current = false;
            setValue((e.target as HTMLInputElement).value);
            setOpen(true);
          }}
          onKeyDown={onKeyDown}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
        />
        <ul id={listId} role="listbox" aria-label={t("search.suggestions")} className="suggestions" hidden={!expanded}>
          {items.map((s, i) => (
            <li
              key={s.url}
              id={`${listId}-${i}`}
              role="option"
              aria-selected={i === active}
              onMouseDown={(e) => {
                e.preventDefault();
                setOpen(false);
                navigate(s.url);
              }}
            >
              <span className={`badge type-${s.type}`}>{t(`search.type.${s.type}` as MessageKey)}</span> <Marked text={s.title} words={value} />
            </li>
          ))}
        </ul>
      </div>
      <button type="submit" className="button search-submit">
        {t("search.submit")}
      </button>
    </Form>
  );
}

/** The text with each typed word marked where it occurs as typed (case-insensitively). */
function Marked({ text, words }: { text: string; words: string }) {
  const list = [...new Set(words.trim().split(/\s+/).filter(Boolean))].sort((a, b) => b.length - a.length);
  if (!list.length) return <>{text}</>;
  const pattern = new RegExp(`(${list.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})`, "gi");
  return <>{text.split(pattern).map((part, i) => (i % 2 === 1 ? <mark key={i}>{part}</mark> : part))}</>;
}
