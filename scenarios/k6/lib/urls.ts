// URL arithmetic the journeys need without a URL class in k6's runtime. Pure (tested in Node).

/** `location` (a Location header) resolved against the URL that answered with it. */
export function resolveLocation(from: string, location: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(location)) return location;
  const origin = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(from)?.[0] ?? '';
  if (location.startsWith('//')) return `${origin.slice(0, origin.indexOf('//'))}${location}`;
  if (location.startsWith('/')) return origin + location;
  const dir = from.slice(0, from.split(/[?#]/)[0]!.lastIndexOf('/') + 1);
  return dir + location;
}

/** The path of an absolute URL, without query or fragment ("http://h:1/a/?s=1" → "/a/"). */
export function pathOf(url: string): string {
  const rest = url.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  return rest.split(/[?#]/)[0]! || '/';
}
