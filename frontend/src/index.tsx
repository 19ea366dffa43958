// The page's entry point: mounts the app.
import { render } from "solid-js/web";

const root = document.getElementById("root");
if (root) render(() => <main>Catalyst</main>, root);
