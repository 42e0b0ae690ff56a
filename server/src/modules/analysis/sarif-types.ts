// The parts of SARIF 2.1.0 (OASIS) that Nyx writes, as TypeScript types. Property names are the
// standard's; tests validate real logs against the official schema (test/fixtures/sarif), so
// these types only need to keep the builder honest, not to describe all of SARIF.

export type Level = 'none' | 'note' | 'warning' | 'error';

export interface Message {
  text: string;
  markdown?: string;
}

export interface Region {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface ArtifactLocation {
  uri: string;
  uriBaseId?: string;
}

export interface PhysicalLocation {
  artifactLocation: ArtifactLocation;
  region: Region;
}

export interface Location {
  physicalLocation: PhysicalLocation;
  message?: Message;
}

export interface ThreadFlowLocation {
  location: Location;
  kinds?: string[];
  executionOrder?: number;
  nestingLevel?: number;
}

export interface CodeFlow {
  message?: Message;
  threadFlows: { locations: ThreadFlowLocation[] }[];
}

export interface Fix {
  description: Message;
  artifactChanges: { artifactLocation: ArtifactLocation; replacements: { deletedRegion: Region; insertedContent: { text: string } }[] }[];
}

export interface Result {
  ruleId: string;
  ruleIndex: number;
  level: Level;
  message: Message;
  locations: Location[];
  partialFingerprints: Record<string, string>;
  codeFlows?: CodeFlow[];
  fixes?: Fix[];
}

export interface ToolComponentReference {
  name: string;
  index: number;
}

export interface ReportingDescriptorRelationship {
  target: { id: string; index: number; toolComponent: ToolComponentReference };
  kinds: string[];
}

export interface ReportingDescriptor {
  id: string;
  name?: string;
  shortDescription?: Message;
  fullDescription?: Message;
  help?: Message;
  helpUri?: string;
  defaultConfiguration?: { level: Level };
  properties?: { tags?: string[]; [key: string]: unknown };
  relationships?: ReportingDescriptorRelationship[];
}

export interface Taxon {
  id: string;
  name?: string;
  helpUri?: string;
}

export interface ToolComponent {
  name: string;
  version?: string;
  organization?: string;
  informationUri?: string;
  shortDescription?: Message;
  isComprehensive?: boolean;
  rules?: ReportingDescriptor[];
  taxa?: Taxon[];
  supportedTaxonomies?: ToolComponentReference[];
}

export interface Run {
  tool: { driver: ToolComponent };
  columnKind?: 'utf16CodeUnits' | 'unicodeCodePoints';
  taxonomies?: ToolComponent[];
  results: Result[];
}

export interface Log {
  $schema: string;
  version: '2.1.0';
  runs: Run[];
}
