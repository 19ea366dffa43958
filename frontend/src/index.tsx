// The page's entry point: mounts the app.
import { render } from "solid-js/web";
import { App } from "./App.js";
import "./styles/index.css";

const root = document.getElementById("root");
if (root) render(() => <App />, root);
