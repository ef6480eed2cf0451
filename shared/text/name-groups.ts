// Name-equivalence tables are written one group per line ("elena lena helen ellen"); a name may sit in several.

/** Each name of the table with the numbers (line indexes) of the groups it belongs to. */
export function indexNameGroups(table: string): Map<string, number[]> {
  const groupsByName = new Map<string, number[]>();
  table
    .trim()
    .split('\n')
    .forEach((line, i) => {
      for (const name of line.trim().split(/\s+/)) {
        const list = groupsByName.get(name) ?? [];
        if (!list.includes(i)) list.push(i);
        groupsByName.set(name, list);
      }
    });
  return groupsByName;
}
