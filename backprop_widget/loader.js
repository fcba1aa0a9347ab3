// The widget's ES module (anywidget's _esm), written by backprop_widget/frontend.py: it carries
// the playground's modules from static/js as text, dependencies first, and loads each from a
// blob URL, its relative imports pointing at the blob URLs of the modules it imports.
const MODULES = __MODULES__;
const ENTRY = __ENTRY__;
let loading = null;

function load() {
  if (!loading) {
    const urls = new Map();
    for (const [path, source] of MODULES) {
      const text = source.replace(/__bp_module__:([\w./-]+)/g, (_, dependency) => urls.get(dependency));
      urls.set(path, URL.createObjectURL(new Blob([text], { type: "text/javascript" })));
    }
    loading = import(urls.get(ENTRY));
  }
  return loading;
}

export default {
  async render(context) {
    const widget = await load();
    return widget.render(context);
  },
};
