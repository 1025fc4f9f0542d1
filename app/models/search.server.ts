// The app's door to the search module: routes import from here (an app/*.server module, so the
// browser build never sees the engine or the segmenter).
export { getSearchEngine } from "../../search/index.server";
