import * as vscode from 'vscode';
import type { Project } from '#protocol/projects.ts';
import type { ProjectCreate } from '#protocol/projects.ts';
import { errorMessage } from '../api/errors.ts';
import type { Connection } from '../connection/connection.ts';
import { Disposable } from '../lifecycle.ts';

/** The tenant's projects as last loaded; reloaded on connect, on Refresh and after a create. */
export class ProjectsStore extends Disposable {
  private readonly changed = this.register(new vscode.EventEmitter<void>());
  readonly onDidChange = this.changed.event;
  private loaded: Project[] = [];
  private readonly connection: Connection;
  private readonly log: vscode.LogOutputChannel;

  constructor(connection: Connection, log: vscode.LogOutputChannel) {
    super();
    this.connection = connection;
    this.log = log;
    this.register(
      connection.onDidChange((state) => {
        if (state.kind === 'connected') void this.reload().catch((error) => this.log.warn(`Could not load the projects: ${errorMessage(error)}`));
        else this.replace([]);
      }),
    );
  }

  get projects(): Project[] {
    return this.loaded;
  }

  async reload(): Promise<Project[]> {
    const projects = await this.connection.requireClient().listProjects();
    this.replace(projects.sort((a, b) => a.name.localeCompare(b.name)));
    return projects;
  }

  async create(body: ProjectCreate): Promise<Project> {
    const project = await this.connection.requireClient().createProject(body);
    this.log.info(`Created project "${project.name}" (${project.id})`);
    await this.reload();
    return project;
  }

  private replace(projects: Project[]): void {
    this.loaded = projects;
    this.changed.fire();
  }
}
