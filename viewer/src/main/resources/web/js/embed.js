// vega-embed as the page's Content-Security-Policy lets it run. Vega parses each expression into a
// syntax tree (ast: true) that vega-embed's bundled interpreter evaluates, instead of compiling it
// with the Function constructor, which the policy forbids (no 'unsafe-eval'). vega-embed and
// vega-tooltip would add their default styles as inline <style> elements, which the policy forbids
// too (no 'unsafe-inline'): style.css holds those rules instead.

/** Embeds a spec into an element with vega-embed's options, made safe for the page's policy. */
export function embedSpec(el, spec, options = {}) {
  const tooltip = options.tooltip === false
    ? false
    : { ...(typeof options.tooltip === 'object' ? options.tooltip : {}), disableDefaultStyle: true };
  return vegaEmbed(el, spec, { ...options, tooltip, defaultStyle: false, ast: true });
}
