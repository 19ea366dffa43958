// One file of the project: highlighted code, rendered Markdown, an image, or a note for binaries.
import { createResource, createSignal, Match, Show, Switch } from "solid-js";
import { useApp } from "../context.js";
import { highlightCode } from "../markdown/render.js";
import { formatBytes } from "../util/format.js";
import { Markdown } from "./Markdown.js";

const IMAGE = /\.(png|jpe?g|gif|webp|avif|ico|bmp|svg)$/i;
const MARKDOWN = /\.(md|markdown)$/i;
/** Highlighting is for reading; past this a file is shown plain so the page stays quick. */
const HIGHLIGHT_FILE_MAX = 200_000;

const extension = (path: string) => {
  const name = path.split("/").at(-1) ?? "";
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(dot + 1) : name.toLowerCase() === "dockerfile" ? "bash" : "";
};

export function FileViewer(props: { ideaId: string; path: string }) {
  const app = useApp();
  const image = () => IMAGE.test(props.path);
  const [file] = createResource(
    () => (image() ? null : props.path),
    (path) => app.api.fileContent(props.ideaId, path),
  );
  const [source, setSource] = createSignal(false);
  return (
    <div class="file-viewer">
      <div class="file-bar">
        <span class="file-path" title={props.path}>
          {props.path}
        </span>
        <Show when={file()?.ok && file()}>
          {(r) => {
            const res = r();
            return res.ok ? <span class="muted">{formatBytes(res.value.size)}</span> : null;
          }}
        </Show>
        <span class="spacer" />
        <Show when={MARKDOWN.test(props.path)}>
          <button
            type="button"
            class="btn small"
            aria-pressed={source()}
            onClick={() => setSource(!source())}
          >
            {source() ? "Rendered" : "Source"}
          </button>
        </Show>
        <a class="btn small" href={app.api.rawFileUrl(props.ideaId, props.path, true)} download="">
          Download
        </a>
      </div>
      <Switch>
        <Match when={image()}>
          <div class="file-image">
            <img src={app.api.rawFileUrl(props.ideaId, props.path)} alt={props.path} />
          </div>
        </Match>
        <Match when={file.loading}>
          <p class="muted file-note">Loading…</p>
        </Match>
        <Match when={file() && !file()?.ok && file()}>
          {(r) => {
            const res = r();
            return (
              <p class="file-note error" role="alert">
                {res.ok ? "" : res.error.message}
              </p>
            );
          }}
        </Match>
        <Match when={file()?.ok && file()}>
          {(r) => {
            const res = r();
            if (!res.ok) return null;
            const f = res.value;
            const text = f.content;
            return (
              <>
                <Show when={f.truncated}>
                  <p class="file-note muted">
                    Showing the first {formatBytes(text?.length ?? 0)} of {formatBytes(f.size)};
                    download it for the rest.
                  </p>
                </Show>
                <Show
                  when={text !== null}
                  fallback={
                    <p class="file-note muted">
                      A binary file ({formatBytes(f.size)}): download it to open it.
                    </p>
                  }
                >
                  {(() => {
                    const t = () => text ?? "";
                    return (
                      <Show
                        when={MARKDOWN.test(props.path) && !source()}
                        fallback={
                          <pre class="code file-code">
                            {/* Safe: highlightCode escapes the text, or returns highlight.js's escaped HTML. */}
                            <code
                              class="hljs"
                              innerHTML={highlightCode(
                                t(),
                                extension(props.path),
                                HIGHLIGHT_FILE_MAX,
                              )}
                            />
                          </pre>
                        }
                      >
                        <div class="file-markdown">
                          <Markdown text={t} />
                        </div>
                      </Show>
                    );
                  })()}
                </Show>
              </>
            );
          }}
        </Match>
      </Switch>
    </div>
  );
}
