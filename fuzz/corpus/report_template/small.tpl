!h1 一、标题
{members_total}名{x?}【待填写：提示】
!item {a:count}
