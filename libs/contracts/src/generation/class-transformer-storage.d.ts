// class-transformer ships its storage singleton as JavaScript without an adjacent declaration; this points the
// import at the declaration it does ship, so the generator can read @Type metadata with types.
declare module 'class-transformer/cjs/storage' {
  export { defaultMetadataStorage } from 'class-transformer/types/storage';
}
