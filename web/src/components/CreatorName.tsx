/** A creator in a table cell: the name, and the handle under it when there is one. */
export function CreatorName({ creator }: { creator: { name: string; handle: string | null } }) {
  return (
    <span className="person">
      <strong>{creator.name}</strong>
      {creator.handle && <span className="muted">@{creator.handle}</span>}
    </span>
  );
}
