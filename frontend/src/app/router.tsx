import type { ComponentType } from "react";
import { createBrowserRouter, type RouteObject } from "react-router";
import { RequireAuth, RequireRole } from "../auth/guards";
import { Layout } from "../components/Layout";
import { PageLoader } from "../components/PageLoader";
import NotFound from "../pages/NotFound";
import { RouteError } from "./RouteError";

/** Every page is its own chunk, downloaded when first visited. */
function page(load: () => Promise<{ default: ComponentType }>): RouteObject["lazy"] {
  return async () => ({ Component: (await load()).default });
}

export const routes: RouteObject[] = [
  {
    path: "/",
    Component: Layout,
    ErrorBoundary: RouteError,
    HydrateFallback: PageLoader,
    children: [
      {
        ErrorBoundary: RouteError,
        children: [
          { index: true, lazy: page(() => import("../pages/Landing")) },
          { path: "courses", lazy: page(() => import("../pages/Catalogue")) },
          { path: "courses/:slug", lazy: page(() => import("../pages/Course")) },
          { path: "login", lazy: page(() => import("../pages/Login")) },
          { path: "register", lazy: page(() => import("../pages/Register")) },
          { path: "certificates/:code", lazy: page(() => import("../pages/Certificate")) },
          { path: "forgot-password", lazy: page(() => import("../pages/ForgotPassword")) },
          { path: "reset-password", lazy: page(() => import("../pages/ResetPassword")) },
          { path: "verify-email", lazy: page(() => import("../pages/VerifyEmail")) },
          {
            Component: RequireAuth,
            children: [
              {
                path: "courses/:slug/lessons/:lessonId",
                lazy: page(() => import("../pages/Lesson")),
              },
              { path: "my-learning", lazy: page(() => import("../pages/MyLearning")) },
              { path: "profile", lazy: page(() => import("../pages/Profile")) },
              {
                // Developer portal; learners see the upgrade call to action on its start page.
                path: "developer",
                lazy: page(() => import("../pages/developer/DeveloperLayout")),
                children: [
                  { index: true, lazy: page(() => import("../pages/developer/DeveloperHome")) },
                  { path: "keys", lazy: page(() => import("../pages/developer/Keys")) },
                  { path: "analytics", lazy: page(() => import("../pages/developer/Workbench")) },
                  { path: "analyses", lazy: page(() => import("../pages/developer/History")) },
                  {
                    path: "analyses/:analysisId",
                    lazy: page(() => import("../pages/developer/AnalysisPage")),
                  },
                  { path: "guide", lazy: page(() => import("../pages/developer/ApiGuide")) },
                ],
              },
              {
                element: <RequireRole roles={["admin"]} />,
                children: [
                  {
                    path: "admin",
                    lazy: page(() => import("../pages/admin/AdminLayout")),
                    children: [
                      { index: true, lazy: page(() => import("../pages/admin/Dashboard")) },
                      { path: "users", lazy: page(() => import("../pages/admin/users/UsersPage")) },
                      {
                        path: "users/:userId",
                        lazy: page(() => import("../pages/admin/users/UserDetail")),
                      },
                      {
                        path: "courses",
                        lazy: page(() => import("../pages/admin/courses/CoursesPage")),
                      },
                      {
                        path: "courses/new",
                        lazy: page(() => import("../pages/admin/courses/CourseNew")),
                      },
                      {
                        path: "courses/:courseId",
                        lazy: page(() => import("../pages/admin/courses/CourseEditor")),
                      },
                      {
                        path: "courses/:courseId/lessons/:lessonId",
                        lazy: page(() => import("../pages/admin/courses/LessonEditPage")),
                      },
                      {
                        path: "courses/:courseId/sections/:sectionId/new-lesson",
                        lazy: page(() => import("../pages/admin/courses/LessonNewPage")),
                      },
                      { path: "audit", lazy: page(() => import("../pages/admin/audit/AuditPage")) },
                      {
                        path: "emails",
                        lazy: page(() => import("../pages/admin/emails/EmailsPage")),
                      },
                    ],
                  },
                ],
              },
            ],
          },
          // Also shown for unknown course and lesson ids, so it lives in the main chunk.
          { path: "*", Component: NotFound },
        ],
      },
    ],
  },
];

export function createRouter() {
  return createBrowserRouter(routes);
}
