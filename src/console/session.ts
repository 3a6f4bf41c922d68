// The signed-in actor, for every component that shows or hides what a role may do. The API enforces roles anyway;
// the console only spares people buttons that would answer 403.
import { createContext, useContext } from 'react';
import { hasRole, type Actor, type Role } from './api.ts';

export const SessionContext = createContext<Actor | null>(null);

export const useActor = (): Actor | null => useContext(SessionContext);

/** Whether the signed-in actor has at least `role`. */
export function useCan(role: Role): boolean {
  return hasRole(useContext(SessionContext), role);
}
