import {
  type ProjectedSite,
  type ProjectedTrack,
  type ReferenceProjection,
} from '../reference/reference-projection';
import { type PublicOf } from './stand-in';

/** Scheduling's sites and tracks as intake would have projected them. */
export class FakeReference implements PublicOf<ReferenceProjection> {
  private readonly sites = new Map<string, ProjectedSite>();
  private readonly tracks = new Map<string, ProjectedTrack>();

  withSite(site: ProjectedSite): this {
    this.sites.set(site.id, site);
    return this;
  }

  withTrack(track: ProjectedTrack): this {
    this.tracks.set(track.id, track);
    return this;
  }

  async applySite(): Promise<void> {
    throw new Error('use withSite: use cases do not project sites');
  }

  async applyTrack(): Promise<void> {
    throw new Error('use withTrack: use cases do not project tracks');
  }

  async site(id: string): Promise<ProjectedSite | undefined> {
    return this.sites.get(id);
  }

  async track(id: string): Promise<ProjectedTrack | undefined> {
    return this.tracks.get(id);
  }
}
