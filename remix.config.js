/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  serverModuleFormat: "esm",
  serverDependenciesToBundle: [/^remix-auth/],
  // By the file-name convention these pages would be children of the record page
  // (studios.$slug.tsx, alliances.$slug.tsx…), which has no <Outlet />: /studios/x/edit would show the studio page, and
  // an unpublished result's editor would 404 in the result page's loader. They are pages of their
  // own: the same files and route ids, without the parent.
  routes: (defineRoutes) =>
    defineRoutes((route) => {
      for (const [path, file] of [
        ["studios/:slug/edit", "studios.$slug.edit.tsx"],
        ["studios/:slug/history", "studios.$slug.history.tsx"],
        ["studios/:slug/members", "studios.$slug.members.tsx"],
        ["studios/:slug/people", "studios.$slug.people.tsx"],
        ["studios/:slug/recognition", "studios.$slug.recognition.tsx"],
        ["studios/:slug/contact", "studios.$slug.contact.tsx"],
        ["studios/:slug/results/new", "studios.$slug.results.new.tsx"],
        ["studios/:slug/patents/new", "studios.$slug.patents.new.tsx"],
        ["results/:slug/edit", "results.$slug.edit.tsx"],
        ["results/:slug/history", "results.$slug.history.tsx"],
        ["patents/:slug/edit", "patents.$slug.edit.tsx"],
        ["patents/:slug/history", "patents.$slug.history.tsx"],
        ["alliances/:slug/edit", "alliances.$slug.edit.tsx"],
        ["alliances/:slug/projects/new", "alliances.$slug.projects.new.tsx"],
        ["alliances/:slug/projects/:project", "alliances.$slug.projects.$project.tsx"],
      ]) {
        route(path, `routes/${file}`);
      }
    }),
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: true,
  },
};
